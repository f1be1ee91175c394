"""The declarative base every back-office model shares."""

from sqlalchemy.orm import declarative_base

Base = declarative_base()
