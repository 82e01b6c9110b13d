"""Face classification and verification kit for CMU 11-785 HW2P2."""
__version__ = "0.1.0"
