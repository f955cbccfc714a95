"""Tables of this service's database."""

from sqlalchemy import MetaData

from services.common.tables import define_common_tables

metadata = MetaData()
common = define_common_tables(metadata)
