"""SQLAlchemy models of the catalogue (SQLAlchemy 1.4, 2.0-style API).

Rows never leave :mod:`bot.catalog.queries`; callers get frozen dataclasses.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import List, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, declarative_base, relationship

Base = declarative_base()

task_contact = Table(
    "task_contact",
    Base.metadata,
    Column("task_id", String(80), ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", String(80), ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
)


class KleTopic(Base):
    """One KLE topic (XX.YY.ZZ) from OS2KLE with its weighted keywords."""

    __tablename__ = "kle_topic"
    number: Mapped[str] = Column(String(8), primary_key=True)
    title: Mapped[str] = Column(Text, nullable=False)
    keywords: Mapped[list] = Column(JSON, nullable=False, default=list)  # [[word, weight], ...]


class Department(Base):
    __tablename__ = "department"
    id: Mapped[str] = Column(String(80), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    parent_id: Mapped[Optional[str]] = Column(String(80), ForeignKey("department.id"))
    description: Mapped[str] = Column(Text, nullable=False, default="")
    phone: Mapped[Optional[str]] = Column(String(20))
    email: Mapped[Optional[str]] = Column(String(200))
    url: Mapped[Optional[str]] = Column(Text)
    address: Mapped[Optional[str]] = Column(Text)
    opening_hours: Mapped[dict] = Column(JSON, nullable=False, default=dict)
    external: Mapped[bool] = Column(Boolean, nullable=False, default=True)
    # Columns added after the first release are nullable, so ensure_schema can add them to an
    # existing database (ALTER TABLE ... ADD COLUMN); the importer always fills them.
    reply_time: Mapped[Optional[str]] = Column(Text)
    source: Mapped[Optional[str]] = Column(Text)      # where its public facts were taken from
    verified: Mapped[Optional[date]] = Column(Date)   # when they were last checked there

    tasks: Mapped[List["Task"]] = relationship("Task", back_populates="department")


class Contact(Base):
    __tablename__ = "contact"
    id: Mapped[str] = Column(String(80), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    title: Mapped[str] = Column(Text, nullable=False, default="")
    department_id: Mapped[str] = Column(String(80), ForeignKey("department.id"), nullable=False)
    phone: Mapped[Optional[str]] = Column(String(20))
    email: Mapped[Optional[str]] = Column(String(200))
    external: Mapped[bool] = Column(Boolean, nullable=False, default=False)


class TaskKle(Base):
    __tablename__ = "task_kle"
    task_id: Mapped[str] = Column(String(80), ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    kle_number: Mapped[str] = Column(String(8), ForeignKey("kle_topic.number"), primary_key=True)
    position: Mapped[int] = Column(Integer, nullable=False, default=0)


class Task(Base):
    __tablename__ = "task"
    id: Mapped[str] = Column(String(80), primary_key=True)
    title: Mapped[str] = Column(Text, nullable=False)
    description: Mapped[str] = Column(Text, nullable=False, default="")
    department_id: Mapped[str] = Column(String(80), ForeignKey("department.id"), nullable=False)
    self_service_url: Mapped[Optional[str]] = Column(Text)
    keywords: Mapped[list] = Column(JSON, nullable=False, default=list)
    external: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    # facts for follow-up questions (see catalog_data/README.md)
    fee: Mapped[Optional[str]] = Column(Text)
    processing_time: Mapped[Optional[str]] = Column(Text)
    documents: Mapped[Optional[list]] = Column(JSON, default=list)
    legal_basis_url: Mapped[Optional[str]] = Column(Text)
    related_tasks: Mapped[Optional[list]] = Column(JSON, default=list)        # task ids, validated at load
    related_authorities: Mapped[Optional[list]] = Column(JSON, default=list)  # authority ids, validated at load
    facts_note: Mapped[Optional[str]] = Column(Text)
    title_en: Mapped[Optional[str]] = Column(Text)
    description_en: Mapped[Optional[str]] = Column(Text)
    ask_as: Mapped[Optional[str]] = Column(Text)
    ask_as_en: Mapped[Optional[str]] = Column(Text)

    department: Mapped[Department] = relationship("Department", back_populates="tasks")
    kle: Mapped[List[TaskKle]] = relationship(TaskKle, order_by=TaskKle.position, cascade="all, delete-orphan")
    contacts: Mapped[List[Contact]] = relationship(Contact, secondary=task_contact)


class Channel(Base):
    """A way in for businesses: the one-entrance phone, the switchboard, the digital hotline."""

    __tablename__ = "channel"
    id: Mapped[str] = Column(String(80), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    phone: Mapped[str] = Column(String(20), nullable=False)
    short: Mapped[Optional[str]] = Column(String(8))
    email: Mapped[Optional[str]] = Column(String(200))
    url: Mapped[Optional[str]] = Column(Text)
    description: Mapped[str] = Column(Text, nullable=False, default="")
    opening_hours: Mapped[dict] = Column(JSON, nullable=False, default=dict)
    open_on_holidays: Mapped[bool] = Column(Boolean, nullable=False, default=False)
    source: Mapped[Optional[str]] = Column(Text)
    verified: Mapped[Optional[date]] = Column(Date)


class Authority(Base):
    """A national body that businesses often confuse with the municipality."""

    __tablename__ = "authority"
    id: Mapped[str] = Column(String(80), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    description: Mapped[str] = Column(Text, nullable=False, default="")
    phone: Mapped[Optional[str]] = Column(String(20))
    url: Mapped[Optional[str]] = Column(Text)
    topics: Mapped[list] = Column(JSON, nullable=False, default=list)
    email: Mapped[Optional[str]] = Column(String(200))
    address: Mapped[Optional[str]] = Column(Text)
    opening_hours: Mapped[Optional[dict]] = Column(JSON, default=dict)
    reply_time: Mapped[Optional[str]] = Column(Text)
    source: Mapped[Optional[str]] = Column(Text)
    verified: Mapped[Optional[date]] = Column(Date)


class Topic(Base):
    """What an NLU intent is about, as KLE prefixes (catalog_data/topics.yml)."""

    __tablename__ = "topic"
    intent: Mapped[str] = Column(String(80), primary_key=True)
    kle_prefixes: Mapped[list] = Column(JSON, nullable=False, default=list)


class CatalogVersion(Base):
    """One import of the catalogue: which version, when, and what changed."""

    __tablename__ = "catalog_version"
    id: Mapped[int] = Column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[str] = Column(String(40), nullable=False)
    published: Mapped[Optional[date]] = Column(Date)
    imported_at: Mapped[datetime] = Column(DateTime, nullable=False)
    source_hash: Mapped[str] = Column(String(64), nullable=False)
    changes: Mapped[list] = Column(JSON, nullable=False, default=list)
    diff: Mapped[dict] = Column(JSON, nullable=False, default=dict)
    comment: Mapped[Optional[str]] = Column(Text)        # the editor's note for this import
    snapshot: Mapped[Optional[dict]] = Column(JSON)      # the whole catalogue (domain.snapshot_of), for diffs


class MunicipalityRow(Base):
    """The one municipality the catalogue is for (domain.Municipality; one row)."""

    __tablename__ = "municipality"
    id: Mapped[int] = Column(Integer, primary_key=True)
    data: Mapped[dict] = Column(JSON, nullable=False, default=dict)
