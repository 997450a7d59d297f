"""central schema: tenants, terminals, event log, reporting tables, RLS, roles' grants

Revision ID: c0001
Revises:
Create Date: 2026-12-01

Run by ``sync.central.admin.init`` under ``SET ROLE <prefix>_owner`` (the NOLOGIN owner of
every object), after it made the roles. The tables below are frozen here on purpose (not
built from sync/central/schema.py, which moves on); a test checks both agree at head.
The security part (functions, row-level security, policies, grants, triggers) is the
contract described in schema.py's docstring.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import UserDefinedType

revision = 'c0001'
down_revision = None
branch_labels = None
depends_on = None

S = "central"


class XID8(UserDefinedType[int]):
    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        return "xid8"


# Frozen copies of schema.py's groups as of this revision.
HISTORY = ("sale", "sale_line", "payment", "refund", "refund_line", "stock_movement",
           "journal_entry", "journal_line")
UPSERT = ("customer", "product", "category", "barcode")
APPEND = {"product_price": "terminal_id", "change_log": "origin_terminal_id"}
OWN_TERMINAL_INSERT = ("event", "quarantine", *HISTORY)
PULLED = {"category": ("id",), "product": ("id",), "product_price": ("id",),
          "barcode": ("code",), "users": ("id",), "store_setting": ("store_id", "key"),
          "customer": ("id",)}
ALL = ("tenant", "store", "terminal", "principal", "event", "quarantine", *HISTORY,
       "customer", "category", "product", "product_price", "barcode", "users",
       "store_setting", "change_log")

TENANT = "tenant_id = (SELECT central.current_tenant())"
TERMINAL = "(SELECT central.current_terminal())"


def _tables() -> None:
    op.create_table('barcode',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('product_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('updated_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('tenant_id', 'code', name=op.f('pk_barcode')),
    schema='central'
    )
    op.create_index(op.f('ix_barcode_tenant_id_product_id'), 'barcode', ['tenant_id', 'product_id'], unique=False, schema='central')
    op.create_table('category',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('updated_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_category')),
    schema='central'
    )
    op.create_table('change_log',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.BigInteger(), sa.Identity(always=True), nullable=False),
    sa.Column('xid', XID8(), server_default=sa.text('pg_current_xact_id()'), nullable=False),
    sa.Column('table_name', sa.Text(), nullable=False),
    sa.Column('row_key', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('op', sa.Text(), nullable=False),
    sa.Column('origin_terminal_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('changed_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("op IN ('insert', 'update', 'delete')", name=op.f('ck_change_log_known_op')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log')),
    schema='central'
    )
    op.create_index(op.f('ix_change_log_tenant_id_xid_id'), 'change_log', ['tenant_id', 'xid', 'id'], unique=False, schema='central')
    op.create_table('customer',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('name_enc', sa.Text(), nullable=True),
    sa.Column('phone_enc', sa.Text(), nullable=True),
    sa.Column('phone_index', sa.Text(), nullable=True),
    sa.Column('email_enc', sa.Text(), nullable=True),
    sa.Column('address_enc', sa.Text(), nullable=True),
    sa.Column('key_id', sa.Text(), nullable=True),
    sa.Column('consent_marketing', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('credit_limit', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
    sa.Column('updated_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
    sa.Column('erased_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_customer')),
    schema='central'
    )
    op.create_index(op.f('ix_customer_tenant_id_phone_index'), 'customer', ['tenant_id', 'phone_index'], unique=False, schema='central')
    op.create_table('journal_entry',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('store_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('ref_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_journal_entry')),
    schema='central'
    )
    op.create_index(op.f('ix_journal_entry_tenant_id_ref_id'), 'journal_entry', ['tenant_id', 'ref_id'], unique=False, schema='central')
    op.create_table('product',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('sku', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('category_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('unit', sa.Text(), server_default=sa.text("'pcs'"), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('tax_class', sa.Text(), nullable=False),
    sa.Column('tracks_stock', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('low_stock_milli', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('updated_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.CheckConstraint('price >= 0 AND cost >= 0', name=op.f('ck_product_money_not_negative')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_product')),
    sa.UniqueConstraint('tenant_id', 'sku', name=op.f('uq_product_tenant_id_sku')),
    schema='central'
    )
    op.create_table('stock_movement',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('store_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('product_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('qty_milli', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('ref_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('unit_cost', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('supplier', sa.Text(), nullable=True),
    sa.Column('user_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_stock_movement')),
    schema='central'
    )
    op.create_index(op.f('ix_stock_movement_tenant_id_store_id_product_id'), 'stock_movement', ['tenant_id', 'store_id', 'product_id'], unique=False, schema='central')
    op.create_table('tenant',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_tenant')),
    schema='central'
    )
    op.create_table('users',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.Text(), nullable=False),
    sa.Column('pin_hash', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('updated_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('cashier', 'supervisor', 'owner')", name=op.f('ck_users_known_role')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_users')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_users_tenant_id_name')),
    schema='central'
    )
    op.create_table('journal_line',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('entry_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('account_code', sa.Text(), nullable=False),
    sa.Column('debit', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('credit', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.CheckConstraint('debit >= 0 AND credit >= 0 AND (debit = 0 OR credit = 0)', name=op.f('ck_journal_line_one_sided')),
    sa.ForeignKeyConstraint(['tenant_id', 'entry_id'], ['central.journal_entry.tenant_id', 'central.journal_entry.id'], name=op.f('fk_journal_line_tenant_id_entry_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'entry_id', 'line_no', name=op.f('pk_journal_line')),
    schema='central'
    )
    op.create_table('product_price',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('product_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('event_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('xid', XID8(), server_default=sa.text('pg_current_xact_id()'), nullable=False),
    sa.Column('changed_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['central.product.tenant_id', 'central.product.id'], name=op.f('fk_product_price_tenant_id_product_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_product_price')),
    schema='central'
    )
    op.create_index(op.f('ix_product_price_tenant_id_product_id_xid'), 'product_price', ['tenant_id', 'product_id', 'xid'], unique=False, schema='central')
    op.create_table('store',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['central.tenant.tenant_id'], name=op.f('fk_store_tenant_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_store')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_store_tenant_id_code')),
    schema='central'
    )
    op.create_table('store_setting',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('store_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('deleted_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'store_id'], ['central.store.tenant_id', 'central.store.id'], name=op.f('fk_store_setting_tenant_id_store_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'store_id', 'key', name=op.f('pk_store_setting')),
    schema='central'
    )
    op.create_table('terminal',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('store_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('role_name', sa.Text(), nullable=False),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('enrolled_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.Column('install_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('last_seq', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_seen_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'store_id'], ['central.store.tenant_id', 'central.store.id'], name=op.f('fk_terminal_tenant_id_store_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_terminal')),
    sa.UniqueConstraint('role_name', name=op.f('uq_terminal_role_name')),
    sa.UniqueConstraint('tenant_id', 'store_id', 'code', name=op.f('uq_terminal_tenant_id_store_id_code')),
    schema='central'
    )
    op.create_table('event',
    sa.Column('event_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('type', sa.Text(), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.Column('received_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('seq > 0', name=op.f('ck_event_seq_positive')),
    sa.ForeignKeyConstraint(['tenant_id', 'terminal_id'], ['central.terminal.tenant_id', 'central.terminal.id'], name=op.f('fk_event_tenant_id_terminal_id')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event')),
    sa.UniqueConstraint('tenant_id', 'event_id', name=op.f('uq_event_tenant_id_event_id')),
    sa.UniqueConstraint('tenant_id', 'terminal_id', 'seq', name=op.f('uq_event_tenant_id_terminal_id_seq')),
    schema='central'
    )
    op.create_table('principal',
    sa.Column('role_name', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.CheckConstraint("(kind = 'terminal') = (terminal_id IS NOT NULL) AND kind IN ('terminal', 'owner')", name=op.f('ck_principal_kind')),
    sa.ForeignKeyConstraint(['tenant_id', 'terminal_id'], ['central.terminal.tenant_id', 'central.terminal.id'], name=op.f('fk_principal_tenant_id_terminal_id')),
    sa.ForeignKeyConstraint(['tenant_id'], ['central.tenant.tenant_id'], name=op.f('fk_principal_tenant_id')),
    sa.PrimaryKeyConstraint('role_name', name=op.f('pk_principal')),
    schema='central'
    )
    op.create_table('refund',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('store_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('refund_no', sa.Text(), nullable=False),
    sa.Column('sale_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('shift_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('user_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('approved_by', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('gross', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('to_kasbon', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('to_provider', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('cash_paid', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('rounding', sa.BigInteger(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'terminal_id'], ['central.terminal.tenant_id', 'central.terminal.id'], name=op.f('fk_refund_tenant_id_terminal_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_refund')),
    sa.UniqueConstraint('tenant_id', 'refund_no', name=op.f('uq_refund_tenant_id_refund_no')),
    sa.UniqueConstraint('tenant_id', 'terminal_id', 'seq', name=op.f('uq_refund_tenant_id_terminal_id_seq')),
    schema='central'
    )
    op.create_index(op.f('ix_refund_tenant_id_sale_id'), 'refund', ['tenant_id', 'sale_id'], unique=False, schema='central')
    op.create_table('sale',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('store_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('receipt_no', sa.Text(), nullable=False),
    sa.Column('shift_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('cashier_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('customer_id', sa.UUID(as_uuid=False), nullable=True),
    sa.Column('created_at', postgresql.TIMESTAMP(timezone=True), nullable=False),
    sa.Column('subtotal', sa.BigInteger(), nullable=False),
    sa.Column('discount_total', sa.BigInteger(), nullable=False),
    sa.Column('net_total', sa.BigInteger(), nullable=False),
    sa.Column('tax_total', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('rounding', sa.BigInteger(), nullable=False),
    sa.Column('payable', sa.BigInteger(), nullable=False),
    sa.Column('change', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'terminal_id'], ['central.terminal.tenant_id', 'central.terminal.id'], name=op.f('fk_sale_tenant_id_terminal_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sale')),
    sa.UniqueConstraint('tenant_id', 'receipt_no', name=op.f('uq_sale_tenant_id_receipt_no')),
    sa.UniqueConstraint('tenant_id', 'terminal_id', 'seq', name=op.f('uq_sale_tenant_id_terminal_id_seq')),
    schema='central'
    )
    op.create_index(op.f('ix_sale_tenant_id_created_at'), 'sale', ['tenant_id', 'created_at'], unique=False, schema='central')
    op.create_table('payment',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('sale_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tendered', sa.BigInteger(), nullable=False),
    sa.Column('change', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('provider_ref', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'sale_id'], ['central.sale.tenant_id', 'central.sale.id'], name=op.f('fk_payment_tenant_id_sale_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_payment')),
    schema='central'
    )
    op.create_index(op.f('ix_payment_tenant_id_sale_id'), 'payment', ['tenant_id', 'sale_id'], unique=False, schema='central')
    op.create_table('quarantine',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('event_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('quarantined_at', postgresql.TIMESTAMP(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('resolved_at', postgresql.TIMESTAMP(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['tenant_id', 'event_id'], ['central.event.tenant_id', 'central.event.event_id'], name=op.f('fk_quarantine_tenant_id_event_id')),
    sa.ForeignKeyConstraint(['tenant_id', 'terminal_id'], ['central.terminal.tenant_id', 'central.terminal.id'], name=op.f('fk_quarantine_tenant_id_terminal_id')),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_quarantine')),
    schema='central'
    )
    op.create_index(op.f('ix_quarantine_tenant_id_resolved_at'), 'quarantine', ['tenant_id', 'resolved_at'], unique=False, schema='central')
    op.create_table('refund_line',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('refund_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('sale_line_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('qty_milli', sa.BigInteger(), nullable=False),
    sa.Column('gross', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'refund_id'], ['central.refund.tenant_id', 'central.refund.id'], name=op.f('fk_refund_line_tenant_id_refund_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_refund_line')),
    schema='central'
    )
    op.create_index(op.f('ix_refund_line_tenant_id_refund_id'), 'refund_line', ['tenant_id', 'refund_id'], unique=False, schema='central')
    op.create_table('sale_line',
    sa.Column('tenant_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('terminal_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('sale_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.UUID(as_uuid=False), nullable=False),
    sa.Column('sku', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('unit', sa.Text(), nullable=False),
    sa.Column('qty_milli', sa.BigInteger(), nullable=False),
    sa.Column('list_price', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('line_discount', sa.BigInteger(), nullable=False),
    sa.Column('order_discount', sa.BigInteger(), nullable=False),
    sa.Column('gross', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.Column('cost', sa.BigInteger(), nullable=False),
    sa.Column('tax_class', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'sale_id'], ['central.sale.tenant_id', 'central.sale.id'], name=op.f('fk_sale_line_tenant_id_sale_id')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sale_line')),
    sa.UniqueConstraint('tenant_id', 'sale_id', 'line_no', name=op.f('uq_sale_line_tenant_id_sale_id_line_no')),
    schema='central'
    )
    op.create_index(op.f('ix_sale_line_tenant_id_product_id'), 'sale_line', ['tenant_id', 'product_id'], unique=False, schema='central')


FUNCTIONS = """
-- Who is asking: the principal row of current_user (a terminal's LOGIN role, or a tenant
-- owner role entered with SET ROLE). Invoker's rights on purpose: principal's own policy
-- shows each role only its own row, so no SECURITY DEFINER (and no BYPASSRLS) is needed.
CREATE FUNCTION central.current_tenant() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT tenant_id FROM central.principal WHERE role_name = current_user $$;

CREATE FUNCTION central.current_terminal() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT terminal_id FROM central.principal WHERE role_name = current_user $$;

-- The pull horizon: every transaction below it has ended, so change_log rows with a
-- smaller xid are final (see schema.py, "The pull cursor").
CREATE FUNCTION central.pull_horizon() RETURNS xid8 LANGUAGE sql VOLATILE
AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot()) $$;

-- Logs a change of a pulled table; TG_ARGV names the key columns besides tenant_id. Runs
-- with the writer's rights in the writer's transaction, so the xid is the writer's.
CREATE FUNCTION central.log_change() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
  new_row jsonb;
  old_row jsonb;
  new_key jsonb := '{}'::jsonb;
  old_key jsonb := '{}'::jsonb;
  col text;
BEGIN
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
  FOREACH col IN ARRAY TG_ARGV LOOP
    new_key := new_key || jsonb_build_object(col, new_row -> col);
    old_key := old_key || jsonb_build_object(col, old_row -> col);
  END LOOP;
  -- A key that changed is a delete of the old row plus an insert of the new one.
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND old_key IS DISTINCT FROM new_key) THEN
    INSERT INTO central.change_log (tenant_id, table_name, row_key, op, origin_terminal_id)
    VALUES ((old_row ->> 'tenant_id')::uuid, TG_TABLE_NAME, old_key, 'delete',
            central.current_terminal());
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO central.change_log (tenant_id, table_name, row_key, op, origin_terminal_id)
    VALUES ((new_row ->> 'tenant_id')::uuid, TG_TABLE_NAME, new_key,
            CASE WHEN TG_OP = 'UPDATE' AND old_key = new_key THEN 'update' ELSE 'insert' END,
            central.current_terminal());
  END IF;
  RETURN NULL;
END $$;
"""


def _roles() -> tuple[str, str]:
    prefix = op.get_bind().execute(sa.text(
        "SELECT role_prefix FROM central.installation")).scalar_one()
    return f'"{prefix}_terminal"', f'"{prefix}_reader"'


def _security() -> None:
    terminal, reader = _roles()
    both = f"{terminal}, {reader}"
    op.execute(FUNCTIONS)
    for fn in ("current_tenant()", "current_terminal()", "pull_horizon()", "log_change()"):
        op.execute(f"REVOKE ALL ON FUNCTION {S}.{fn} FROM PUBLIC")
    for fn in ("current_tenant()", "current_terminal()", "pull_horizon()"):
        op.execute(f"GRANT EXECUTE ON FUNCTION {S}.{fn} TO {both}")
    op.execute(f"GRANT EXECUTE ON FUNCTION {S}.log_change() TO {terminal}")
    op.execute(f"GRANT USAGE ON SCHEMA {S} TO {both}")

    for t in ALL:
        op.execute(f"ALTER TABLE {S}.{t} ENABLE ROW LEVEL SECURITY")
        # FORCE: the owner obeys the policies too (it has none, so it sees nothing).
        op.execute(f"ALTER TABLE {S}.{t} FORCE ROW LEVEL SECURITY")
        op.execute(f"REVOKE ALL ON {S}.{t} FROM PUBLIC")
        op.execute(f"GRANT SELECT ON {S}.{t} TO {both}")
        if t == "principal":
            op.execute(f"CREATE POLICY own_row ON {S}.principal FOR SELECT TO {both} "
                       "USING (role_name = current_user)")
        else:
            op.execute(f"CREATE POLICY tenant_read ON {S}.{t} FOR SELECT TO {both} "
                       f"USING ({TENANT})")

    for t in OWN_TERMINAL_INSERT:
        op.execute(f"GRANT INSERT ON {S}.{t} TO {terminal}")
        op.execute(f"CREATE POLICY own_terminal_insert ON {S}.{t} FOR INSERT TO {terminal} "
                   f"WITH CHECK ({TENANT} AND terminal_id = {TERMINAL})")
    for t in UPSERT:
        op.execute(f"GRANT INSERT, UPDATE ON {S}.{t} TO {terminal}")
        op.execute(f"CREATE POLICY tenant_insert ON {S}.{t} FOR INSERT TO {terminal} "
                   f"WITH CHECK ({TENANT})")
        op.execute(f"CREATE POLICY tenant_update ON {S}.{t} FOR UPDATE TO {terminal} "
                   f"USING ({TENANT}) WITH CHECK ({TENANT})")
    for t, who in APPEND.items():
        op.execute(f"GRANT INSERT ON {S}.{t} TO {terminal}")
        op.execute(f"CREATE POLICY own_terminal_insert ON {S}.{t} FOR INSERT TO {terminal} "
                   f"WITH CHECK ({TENANT} AND {who} = {TERMINAL})")
    # A terminal records its own enrolment and clone-guard fields, and nothing else.
    op.execute(f"GRANT UPDATE (enrolled_at, install_id, last_seq, last_seen_at) "
               f"ON {S}.terminal TO {terminal}")
    op.execute(f"CREATE POLICY own_terminal_update ON {S}.terminal FOR UPDATE TO {terminal} "
               f"USING ({TENANT} AND id = {TERMINAL}) "
               f"WITH CHECK ({TENANT} AND id = {TERMINAL} AND enrolled_at IS NOT NULL)")

    for t, key in PULLED.items():
        args = ", ".join(f"'{c}'" for c in key)
        op.execute(f"CREATE TRIGGER log_change AFTER INSERT OR UPDATE OR DELETE ON {S}.{t} "
                   f"FOR EACH ROW EXECUTE FUNCTION {S}.log_change({args})")


def upgrade() -> None:
    _tables()
    _security()


def downgrade() -> None:
    for t in reversed(("tenant", "store", "terminal", "principal", "event", "quarantine",
                       "sale", "sale_line", "payment", "refund", "refund_line",
                       "stock_movement", "journal_entry", "journal_line", "customer",
                       "category", "product", "product_price", "barcode", "users",
                       "store_setting", "change_log")):
        op.execute(f"DROP TABLE IF EXISTS {S}.{t} CASCADE")
    for fn in ("current_tenant()", "current_terminal()", "pull_horizon()", "log_change()"):
        op.execute(f"DROP FUNCTION IF EXISTS {S}.{fn}")
