"""The owner's back office: dashboard, reports, products and stock, users and PINs, store settings and credentials.

The backend methods behind ``ui.backend_office.OfficeBackend``; ``app.gui.GuiBackend``
inherits them. Each opens its own unit of work, calls a use case and returns frozen values.
Rights are the services' to check (``services.users.require``); the screens only hide
what a role cannot use. Credentials go to the secret store (``app.secrets``: the OS
keyring, a demo shop's labelled file), never to SQLite; only whether each is set comes back.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, or_, select

from app.gui_base import BackendBase, environment_faults
from local_db.models import Barcode, Category, Product, StockLevel, User
from local_db.store import append_audit, read_settings, write_settings
from services.catalogue import (
    UNITS,
    WEIGHED_UNITS,
    ProductInput,
    save_product,
    tax_class_codes,
)
from services.catalogue_csv import ImportRejected, import_catalogue
from services import reports
from services.errors import BadInput, NotFound, Refused
from services.reports import export as reports_export
from services.money import line_amount, qty_to_milli, rupiah
from services.stock import PAID_FROM, ReceivedLine, adjust_stock, count_stock, receive_goods
from services.store_settings import (
    LANGUAGES,
    PAPER_WIDTHS,
    PRINTER_KINDS,
    ROUNDING_MODES,
    ROUNDING_UNITS,
    StoreSettings,
    read_store_settings,
    save_store_settings,
)
from services.users import change_pin, change_role, create_user, require, unlock_user
from ui.backend_core import ShopInfo
from ui.backend_office import (
    CREDENTIAL_KEYS,
    EXPORT_FORMATS,
    CatalogueChoices,
    CredentialState,
    Dashboard,
    Figure,
    ImportLineError,
    ImportOutcome,
    LowStockRow,
    OfficeSettings,
    ProductForm,
    ProductRow,
    ReceiptDone,
    ReceiveLineForm,
    ReportColumn,
    ReportKind,
    ReportPreview,
    ReportTable,
    StockMoved,
    StoreSettingsView,
    UserRow,
)

if TYPE_CHECKING:
    from app.secrets import SecretStore

#: Where each credential lives in the secret store (names shared with app.provider_wiring
#: and app.enroll, which read them).
SECRET_NAMES = {
    "midtrans_server_key": "midtrans-server-key",
    "midtrans_client_key": "midtrans-client-key",
    "central_password": "central/password",
}
#: The central connection string is kept without its password in this setting (as
#: ``warungin enroll`` does); a password typed into it goes to the secret store.
CENTRAL_DSN_SETTING = "central.dsn"
MAX_CSV_BYTES = 20 * 1024 * 1024
_CODES_SPLIT = re.compile(r"[\s,|;]+")


def _milli(text: str, *, field: str, unit: str, allow_zero: bool = False) -> int:
    t = (text or "").strip().replace(",", ".")
    if allow_zero and t in ("", "0", "0.0", "0.000"):
        return 0
    return qty_to_milli(t, field=field, whole_only=unit not in WEIGHED_UNITS)


class OfficeOps(BackendBase):
    _info: ShopInfo  # GuiBackend's; refreshed when the store's name or language changes

    # --- products and stock -----------------------------------------------------------
    @environment_faults
    def office_catalogue_choices(self) -> CatalogueChoices:
        with self._shop.uow(write=False) as uow:
            cats = tuple(str(n) for n in uow.conn.execute(
                select(Category.name).order_by(Category.name)).scalars())
            taxes = tuple(sorted(tax_class_codes(uow.conn)))
        return CatalogueChoices(cats, taxes, UNITS)

    @environment_faults
    def office_products(self, text: str = "", category: str | None = None,
                        low_only: bool = False, limit: int = 500) -> list[ProductRow]:
        with self._shop.uow(write=False) as uow:
            return _products(uow.conn, text=text, category=category, low_only=low_only,
                             limit=limit)

    @environment_faults
    def office_save_product(self, form: ProductForm, *, new: bool) -> ProductRow:
        actor = self._require_actor()
        require(actor, "supervisor", "editing products")
        unit = form.unit.strip()
        item = ProductInput(
            sku=form.sku.strip(), name=form.name.strip(),
            price=rupiah(form.price, field="price"),
            cost=rupiah(form.cost.strip() or "0", field="cost"),
            unit=unit, category=form.category.strip() or None,
            tax_class=form.tax_class.strip(),
            barcodes=tuple(c for c in _CODES_SPLIT.split(form.barcodes.strip()) if c),
            tracks_stock=form.tracks_stock,
            low_stock_milli=_milli(form.low_stock, field="low_stock", unit=unit,
                                   allow_zero=True),
            active=form.active)
        with self._shop.uow() as uow:
            exists = uow.conn.execute(select(Product.id).where(Product.sku == item.sku)
                                      ).scalar() is not None
            if new and exists:
                raise BadInput(f"a product with SKU {item.sku} exists already", field="sku")
            if not new and not exists:
                raise NotFound(f"no product with SKU {item.sku}", field="sku")
            saved = save_product(uow, actor, item)
        with self._shop.uow(write=False) as uow:
            rows = _products(uow.conn, product_id=saved.id)
        return rows[0]

    @environment_faults
    def office_import_csv(self, path: str) -> ImportOutcome:
        actor = self._require_actor()
        require(actor, "supervisor", "importing products")
        file = Path(path)
        try:
            if file.stat().st_size > MAX_CSV_BYTES:
                raise BadInput("the file is larger than 20 MB", field="file")
            raw = file.read_bytes()
        except OSError as exc:
            raise BadInput(f"the file cannot be read ({exc.strerror})", field="file") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")  # Excel on Windows saves ANSI
        try:
            with self._shop.uow() as uow:
                summary = import_catalogue(uow, actor, text)
        except ImportRejected as rejected:
            return ImportOutcome(0, 0, tuple(ImportLineError(e.line, e.field, e.message)
                                             for e in rejected.errors))
        return ImportOutcome(summary.created, summary.updated, ())

    @environment_faults
    def office_receive_goods(self, supplier: str, lines: list[ReceiveLineForm], *,
                             paid_from: str = "payable",
                             document_no: str = "") -> ReceiptDone:
        actor = self._require_actor()
        if paid_from not in PAID_FROM:
            raise BadInput(f"paid from must be one of {', '.join(PAID_FROM)}",
                           field="paid_from")
        with self._shop.uow() as uow:
            parsed: list[ReceivedLine] = []
            total = 0
            for i, line in enumerate(lines):
                code = line.code.strip()
                unit = uow.conn.execute(
                    select(Product.unit).outerjoin(Barcode, Barcode.product_id == Product.id)
                    .where(or_(Product.sku == code, Barcode.code == code)).limit(1)).scalar()
                qty = _milli(line.qty, field=f"lines[{i}].qty", unit=str(unit or "pcs"))
                cost = rupiah(line.unit_cost, field=f"lines[{i}].cost")
                parsed.append(ReceivedLine(code, qty, cost))
                total += line_amount(cost, qty)
            receipt_id = receive_goods(uow, actor, supplier=supplier, lines=parsed,
                                       paid_from=paid_from,
                                       document_no=document_no.strip() or None)
        return ReceiptDone(receipt_id, len(parsed), total)

    @environment_faults
    def office_adjust_stock(self, code: str, qty: str, *, add: bool, reason: str,
                            waste: bool = False) -> StockMoved:
        actor = self._require_actor()
        with self._shop.uow() as uow:
            unit = self._unit_of(uow.conn, code)
            milli = _milli(qty, field="qty", unit=unit)
            r = adjust_stock(uow, actor, code.strip(), milli if add else -milli, reason,
                             waste=waste)
        return StockMoved(r.sku, r.qty_milli, r.level_milli, r.value)

    @environment_faults
    def office_count_stock(self, code: str, counted: str, reason: str) -> StockMoved:
        actor = self._require_actor()
        with self._shop.uow() as uow:
            unit = self._unit_of(uow.conn, code)
            milli = _milli(counted, field="counted", unit=unit, allow_zero=True)
            r = count_stock(uow, actor, code.strip(), milli,
                            reason.strip() or "stock count")
        return StockMoved(r.sku, r.qty_milli, r.level_milli, r.value)

    @staticmethod
    def _unit_of(conn: Connection, code: str) -> str:
        code = (code or "").strip()
        if not code:
            raise BadInput("a SKU or barcode is needed", field="sku")
        unit = conn.execute(
            select(Product.unit).outerjoin(Barcode, Barcode.product_id == Product.id)
            .where(or_(Product.sku == code, Barcode.code == code)).limit(1)).scalar()
        if unit is None:
            raise NotFound(f"no product with SKU or barcode '{code}'", field="sku")
        return str(unit)

    # --- users ------------------------------------------------------------------------
    @environment_faults
    def office_users(self) -> list[UserRow]:
        require(self._require_actor(), "owner", "managing users")
        with self._shop.uow(write=False) as uow:
            rows = uow.session.execute(
                select(User.id, User.name, User.role, User.locked, User.failed_pins)
                .where(User.active).order_by(User.name)).all()
        return [UserRow(str(i), str(n), str(r), bool(lk), int(f)) for i, n, r, lk, f in rows]

    @environment_faults
    def office_add_user(self, name: str, role: str, pin: str) -> UserRow:
        actor = self._require_actor()
        with self._shop.uow() as uow:
            made = create_user(uow, actor, name=name, role=role, pin=pin)
            uow.commit()
        return UserRow(made.id, made.name, made.role, False, 0)

    @environment_faults
    def office_change_role(self, user_id: str, role: str) -> None:
        actor = self._require_actor()
        if user_id == actor.id and role != "owner":
            raise BadInput("you cannot take the owner role from yourself; another owner "
                           "can", field="role")
        with self._shop.uow() as uow:
            change_role(uow, actor, user_id, role)
            uow.commit()

    @environment_faults
    def office_change_pin(self, user_id: str, pin: str) -> None:
        actor = self._require_actor()
        require(actor, "owner", "managing users")
        with self._shop.uow() as uow:
            change_pin(uow, actor, user_id, pin)
            uow.commit()

    @environment_faults
    def office_unlock_user(self, user_id: str) -> None:
        actor = self._require_actor()
        require(actor, "owner", "managing users")
        with self._shop.uow() as uow:
            unlock_user(uow, actor, user_id)
            uow.commit()

    # --- settings and credentials -----------------------------------------------------
    @environment_faults
    def office_settings(self) -> OfficeSettings:
        require(self._require_actor(), "owner", "the store settings")
        with self._shop.uow(write=False) as uow:
            current = read_store_settings(uow.conn)
            dsn_set = bool(read_settings(uow.conn).get(CENTRAL_DSN_SETTING))
        return self._office_settings(current, dsn_set)

    def _office_settings(self, current: StoreSettings, dsn_set: bool) -> OfficeSettings:
        problem: str | None = None
        from app.secrets import SecretsUnavailable
        try:
            store = self._secrets()
            creds = tuple(CredentialState(key, dsn_set if key == "central_dsn"
                                          else store.get(SECRET_NAMES[key]) is not None)
                          for key in CREDENTIAL_KEYS)
        except SecretsUnavailable as exc:
            # The store settings still work; the credentials part says why it cannot.
            problem = str(exc)
            creds = tuple(CredentialState(key, dsn_set if key == "central_dsn" else False)
                          for key in CREDENTIAL_KEYS)
        return OfficeSettings(keyring_problem=problem, 
            store=StoreSettingsView(**{f: getattr(current, f)
                                       for f in StoreSettingsView.__dataclass_fields__}),
            credentials=creds, printer_kinds=PRINTER_KINDS, paper_widths=PAPER_WIDTHS,
            rounding_units=ROUNDING_UNITS, rounding_modes=ROUNDING_MODES, languages=LANGUAGES)

    @environment_faults
    def office_save_settings(self, values: StoreSettingsView) -> OfficeSettings:
        actor = self._require_actor()
        new = StoreSettings(**{f: getattr(values, f)
                               for f in StoreSettings.__dataclass_fields__})
        with self._shop.uow() as uow:
            saved = save_store_settings(uow, actor, new)
        # The till prices with the new PKP and rounding from the next cart on.
        self._shop.reload()
        self._config = self._shop.config
        info = getattr(self, "_info", None)
        if isinstance(info, ShopInfo):
            self._info = replace(info, store_name=saved.store_name, language=saved.language)
        with self._shop.uow(write=False) as uow:
            dsn_set = bool(read_settings(uow.conn).get(CENTRAL_DSN_SETTING))
        return self._office_settings(saved, dsn_set)

    @environment_faults
    def office_set_credential(self, key: str, value: str) -> OfficeSettings:
        actor = self._require_actor()
        require(actor, "owner", "setting credentials")
        if key not in CREDENTIAL_KEYS:
            raise BadInput(f"unknown credential '{key}'", field="credential")
        value = (value or "").strip()
        if not value:
            raise BadInput("enter a value (or use Clear to remove it)", field=key)
        if any(c.isspace() for c in value) and key != "central_dsn":
            raise BadInput("a key has no spaces", field=key)
        if key == "central_dsn":
            from sync.central.connect import parse_dsn, redact_dsn
            params = parse_dsn(value)
            if not params.get("host") and not params.get("hostaddr"):
                raise BadInput("the connection string names no host", field=key)
            password = params.get("password")
            if password:
                self._secret_set(key, SECRET_NAMES["central_password"], password)
            with self._shop.uow() as uow:
                write_settings(uow.conn, {CENTRAL_DSN_SETTING: redact_dsn(value)})
                append_audit(uow.conn, "central.credentials", entity="central",
                             entity_id=None, actor_id=actor.id,
                             details={"set": ["dsn"] + (["password"] if password else [])})
                uow.commit()
        else:
            self._secret_set(key, SECRET_NAMES[key], value)
            with self._shop.uow() as uow:
                append_audit(uow.conn, "provider.credentials", entity="credential",
                             entity_id=key, actor_id=actor.id, details={"set": key})
                uow.commit()
        return self.office_settings()

    @environment_faults
    def office_clear_credential(self, key: str) -> OfficeSettings:
        actor = self._require_actor()
        require(actor, "owner", "setting credentials")
        if key not in CREDENTIAL_KEYS:
            raise BadInput(f"unknown credential '{key}'", field="credential")
        if key != "central_dsn":
            from app.secrets import SecretsUnavailable
            try:
                self._secrets().delete(SECRET_NAMES[key])
            except SecretsUnavailable as exc:
                raise Refused(str(exc), field=key) from None
        with self._shop.uow() as uow:
            if key == "central_dsn":
                uow.conn.exec_driver_sql("DELETE FROM setting WHERE key = ?",
                                         (CENTRAL_DSN_SETTING,))
            append_audit(uow.conn, "credential.clear", entity="credential", entity_id=key,
                         actor_id=actor.id, details={"cleared": key})
            uow.commit()
        return self.office_settings()

    def _secrets(self) -> SecretStore:
        # Imported here: keyring and the secret store are not needed to start the till.
        from app.secrets import secret_store_for
        return secret_store_for(self._shop)

    def _secret_set(self, field: str, name: str, value: str) -> None:
        """Into the secret store, or a refusal saying why not (no secure keyring: never a
        plaintext fallback)."""
        from app.secrets import SecretsUnavailable
        try:
            self._secrets().set(name, value)
        except SecretsUnavailable as exc:
            raise Refused(str(exc), field=field) from None

    # --- dashboard and reports (services.reports) -------------------------------------
    @environment_faults
    def office_today(self) -> date:
        from services.reports.queries import today
        with self._shop.uow(write=False) as uow:
            return today(reports.local_source(uow.conn))

    @environment_faults
    def office_dashboard(self, day: date | None = None) -> Dashboard:
        require(self._require_actor(), "owner", "the dashboard")
        with self._shop.uow(write=False) as uow:
            d = reports.dashboard(uow.conn, day)
        return Dashboard(
            day=d.day, sales_count=d.sales_count, sales_total=d.sales_total,
            average_sale=d.average_sale, refunds_count=d.refunds_count,
            refunds_total=d.refunds_total,
            by_hour=tuple(h.amount for h in d.by_hour),
            by_hour_count=tuple(h.sales_count for h in d.by_hour),
            payment_mix=tuple(Figure(m.method, m.amount, m.count) for m in d.payment_mix),
            top_products=tuple(Figure(t.name, t.amount, t.qty_milli) for t in d.top_products),
            low_stock=tuple(LowStockRow(r.sku, r.name, r.unit, r.level_milli,
                                        r.low_stock_milli) for r in d.low_stock),
            kasbon_outstanding=d.kasbon_outstanding, kasbon_customers=d.kasbon_customers)

    def office_report_kinds(self) -> list[ReportKind]:
        """The reports services.reports offers (pure: no database)."""
        return [ReportKind(s.name, s.title_id, s.title_en, s.takes_period, s.single_day)
                for s in reports.REPORTS.values()]

    def _run_report(self, key: str, start: date, end: date) -> reports.Report:
        require(self._require_actor(), "owner", "reports")
        period = reports.Period(start, end)
        with self._shop.uow(write=False) as uow:
            return reports.run_report(uow.conn, key, period)

    @environment_faults
    def office_report(self, key: str, start: date, end: date) -> ReportPreview:
        report = self._run_report(key, start, end)
        return ReportPreview(key, start, end, tuple(
            ReportTable(t.title_id, t.title_en,
                        tuple(ReportColumn(c.title_id, c.title_en, c.kind) for c in t.columns),
                        tuple(tuple(row) for row in t.rows),
                        None if t.totals is None else tuple(t.totals))
            for t in report.tables()))

    @environment_faults
    def office_export_report(self, key: str, start: date, end: date, fmt: str, path: str,
                             lang: str = "id") -> str:
        if fmt not in EXPORT_FORMATS:
            raise BadInput(f"format must be one of {', '.join(EXPORT_FORMATS)}", field="format")
        if not path:
            raise BadInput("choose a file to write", field="file")
        report = self._run_report(key, start, end)
        spec = reports.REPORTS[key]
        title = spec.title(lang)
        last = end - timedelta(days=1)
        note = None
        if spec.takes_period:
            note = (start.isoformat() if spec.single_day or last == start
                    else f"{start.isoformat()} – {last.isoformat()}")
        if fmt == "csv":
            data = reports_export.to_csv(report, lang).encode("utf-8-sig")  # Excel reads it
        elif fmt == "html":
            data = reports_export.to_html(report, title, lang, note).encode("utf-8")
        else:
            from app.reports_pdf import to_pdf
            data = to_pdf(report, title, lang, note, shop_name=self._config.store_name)
        target = Path(path)
        tmp = target.with_name(target.name + ".part")
        try:
            tmp.write_bytes(data)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise BadInput(f"the file cannot be written ({exc.strerror})", field="file"
                           ) from None
        return str(target)


def _products(conn: Connection, *, text: str = "", category: str | None = None,
              low_only: bool = False, limit: int = 500,
              product_id: str | None = None) -> list[ProductRow]:
    """Products with their stock level, filtered; name, SKU or barcode by substring."""
    q = (select(Product.id, Product.sku, Product.name, Category.name, Product.unit,
                Product.price, Product.cost, Product.tax_class, Product.tracks_stock,
                Product.low_stock_milli, Product.active, StockLevel.qty_milli)
         .outerjoin(Category, Category.id == Product.category_id)
         .outerjoin(StockLevel, StockLevel.product_id == Product.id))
    if product_id is not None:
        q = q.where(Product.id == product_id)
    text = (text or "").strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        q = q.where(or_(Product.name.ilike(like, escape="\\"),
                        Product.sku.ilike(like, escape="\\"),
                        Product.id.in_(select(Barcode.product_id)
                                       .where(Barcode.code.like(like, escape="\\")))))
    if category:
        q = q.where(Category.name == category)
    if low_only:
        level = StockLevel.qty_milli
        q = q.where(Product.tracks_stock, Product.active,
                    or_(level <= Product.low_stock_milli, level < 0))
    rows = conn.execute(q.order_by(Product.name).limit(limit)).all()
    ids = [str(r[0]) for r in rows]
    codes: dict[str, list[str]] = {}
    for i in range(0, len(ids), 500):
        for code, pid in conn.execute(select(Barcode.code, Barcode.product_id)
                                      .where(Barcode.product_id.in_(ids[i:i + 500]))
                                      .order_by(Barcode.code)):
            codes.setdefault(str(pid), []).append(str(code))
    return [ProductRow(str(r[0]), str(r[1]), str(r[2]), None if r[3] is None else str(r[3]),
                       str(r[4]), int(r[5]), int(r[6]), str(r[7]), bool(r[8]), int(r[9]),
                       bool(r[10]), tuple(codes.get(str(r[0]), ())), int(r[11] or 0))
            for r in rows]
