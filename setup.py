"""Packaging for hw2p2. Metadata and requirements are read from settings.ini, the nbdev 2 config."""
from configparser import ConfigParser
from pathlib import Path

import setuptools

config = ConfigParser(delimiters=["="])
config.read(Path(__file__).parent / "settings.ini", encoding="utf-8")
cfg = config["DEFAULT"]

licenses = {"apache2": ("Apache Software License 2.0", "OSI Approved :: Apache Software License")}
status_names = ["Planning", "Pre-Alpha", "Alpha", "Beta", "Production/Stable", "Mature", "Inactive"]
license_name, license_classifier = licenses[cfg["license"]]
readme = Path(__file__).parent / "README.md"

def requirements(key):
    "Split one space-separated requirements entry of settings.ini into a list."
    return cfg.get(key, "").split()

kaggle = requirements("kaggle_requirements")
wandb = requirements("wandb_requirements")

setuptools.setup(
    name=cfg["lib_name"],
    version=cfg["version"],
    description=cfg["description"],
    long_description=readme.read_text(encoding="utf-8") if readme.exists() else cfg["description"],
    long_description_content_type="text/markdown",
    author=cfg["author"],
    author_email=cfg["author_email"],
    url=cfg["git_url"].replace("%(user)s", cfg["user"]).replace("%(repo)s", cfg["repo"]),
    license=license_name,
    keywords=cfg["keywords"].split(),
    classifiers=[
        f"Development Status :: {cfg['status']} - {status_names[int(cfg['status'])]}",
        f"Intended Audience :: {cfg['audience']}",
        f"License :: {license_classifier}",
        f"Natural Language :: {cfg['language']}",
        "Programming Language :: Python :: 3",
    ],
    python_requires=f">={cfg['min_python']}",
    packages=setuptools.find_packages(include=["hw2p2", "hw2p2.*"]),
    include_package_data=True,
    package_data={"hw2p2": ["sample/*.txt", "sample/*.md", "sample/**/*.txt", "sample/**/*.jpg", "recipes/*.yaml"]},
    install_requires=requirements("requirements"),
    extras_require={
        "kaggle": kaggle,
        "wandb": wandb,
        "dev": kaggle + wandb + requirements("dev_requirements"),
    },
    entry_points={
        "console_scripts": cfg["console_scripts"].split(),
        "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"],
    },
    zip_safe=False,
)
