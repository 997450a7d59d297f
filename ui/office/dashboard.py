"""The owner's dashboard: a day's sales (today by default), sales by hour as a bar chart,
the payment-method mix as a pie, top products, low stock, kasbon outstanding.

Figures come from services.reports.dashboard, read on the pool lane. QtCharts (from
PySide6-Addons) is imported here, and this module only when the dashboard is first opened
(ui.office.shell's factory), so the till's start never pays for it.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QPieSeries,
)
from PySide6.QtCore import QDate, QMargins, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from services.formatting import ratio_bp
from services.reports import Dashboard
from ui.backend_books import Scoped
from ui.books_common import ScopeBar
from ui.i18n import method_name, number, percent, rupiah, tr
from ui.office.common import (
    ERROR_STYLE,
    OfficeContext,
    big_button,
    cell,
    font,
    qty_text,
    read_only_table,
)
from ui.tasks import Lane, describe_error


_TILES = ("sales_total", "sales_count", "average", "refunds", "kasbon")


def method_label(method: str) -> str:
    """A payment method in words (``Tunai``, ``Kartu EDC``, ``VA BCA``), never its code."""
    try:
        return tr("dash.method." + method)
    except KeyError:
        return method_name(method)


def axis_ticks(top: int, most: int = 5) -> list[int]:
    """Round rupiah steps from 0 up to at least ``top`` (at most ``most`` steps):
    1, 2, 2.5 or 5 x 10^k, e.g. 0, 20.000, 40.000, 60.000 for a top of 55.000."""
    top = max(top, 1)
    magnitude = 1
    while True:
        for m in (1, 2, 25, 5):
            step = magnitude * m // 10 if m == 25 else magnitude * m
            if step and -(-top // step) <= most:
                return [step * i for i in range(-(-top // step) + 1)]
        magnitude *= 10


class DashboardScreen(QWidget):
    #: New figures are on screen (value: Dashboard).
    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__()
        self._ctx = ctx
        self.data: Dashboard | None = None
        self._today: date | None = None  # the shop's today, as the last report said
        self.setObjectName("dashboardScreen")
        self.title = QLabel()
        self.title.setFont(font(16, bold=True))
        self.day_caption = QLabel()
        self.day = QDateEdit()
        self.day.setObjectName("dashboardDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        self.day.setMinimumHeight(40)
        self.day.setDate(QDate.currentDate())
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.today = big_button(name="dashboardToday", height=40)
        self.today.clicked.connect(self.show_today)
        self.refresh = big_button(name="dashboardRefresh", height=40)
        self.refresh.clicked.connect(self.reload)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.reload,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)

        # figure tiles
        self.tiles: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        tiles = QHBoxLayout()
        for key in _TILES:
            frame = QFrame()
            frame.setObjectName(f"tile_{key}")
            frame.setStyleSheet(f"#tile_{key} {{ background: #12355b; border-radius: 8px; }}"
                                f"#tile_{key} QLabel {{ color: white; }}")
            caption, value, sub = QLabel(), QLabel(), QLabel()
            value.setObjectName(f"value_{key}")
            value.setFont(font(20, bold=True))
            caption.setFont(font(11))
            sub.setFont(font(10))
            box = QVBoxLayout(frame)
            box.addWidget(caption)
            box.addWidget(value)
            box.addWidget(sub)
            tiles.addWidget(frame, 1)
            self.tiles[key] = (caption, value, sub)

        # charts
        self.hour_chart = QChart()
        self.hour_axis_y: QCategoryAxis | None = None  # rupiah labels, set when drawn
        self.hour_chart.legend().hide()
        self.hour_chart.setMargins(QMargins(4, 4, 4, 4))
        self.hour_view = QChartView(self.hour_chart)
        self.hour_view.setObjectName("hourChart")
        self.hour_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.hour_view.setMinimumHeight(220)
        self.mix_chart = QChart()
        # The chart's own legend cuts "Tunai 82 % · Rp 1.754.300" short: the methods are
        # listed beside the pie instead, one a line, each in its slice's colour.
        self.mix_chart.legend().hide()
        self.mix_chart.setMargins(QMargins(4, 4, 4, 4))
        self.mix_view = QChartView(self.mix_chart)
        self.mix_view.setObjectName("mixChart")
        self.mix_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.mix_view.setMinimumHeight(220)
        self.mix_legend = QLabel()
        self.mix_legend.setObjectName("mixLegend")
        self.mix_legend.setFont(font(11))
        self.mix_legend.setTextFormat(Qt.TextFormat.RichText)
        mix_box = QWidget()
        mix_row = QHBoxLayout(mix_box)
        mix_row.setContentsMargins(0, 0, 8, 0)
        mix_row.addWidget(self.mix_view, 1)
        mix_row.addWidget(self.mix_legend)

        # tables
        self.top_caption, self.low_caption = QLabel(), QLabel()
        for c in (self.top_caption, self.low_caption):
            c.setFont(font(12, bold=True))
        self.top = read_only_table(3, name="topProducts")
        self.low = read_only_table(3, name="lowStock")
        for t in (self.top, self.low):
            # The figures keep their width; the name takes what is left (elided if long),
            # so no column header is cut off behind a scroll bar at 1366x768.
            header = t.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for col in (1, 2):
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        # Whose figures: this till, the whole shop or one store (read from central).
        self.scope_bar = ScopeBar(ctx)
        self.scope_bar.changed.connect(self.reload)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.day_caption)
        head.addWidget(self.day)
        head.addWidget(self.today)
        head.addWidget(self.refresh)
        grid = QGridLayout()
        grid.addWidget(self.hour_view, 0, 0)
        grid.addWidget(mix_box, 0, 1)
        top_box = QVBoxLayout()
        top_box.addWidget(self.top_caption)
        top_box.addWidget(self.top)
        low_box = QVBoxLayout()
        low_box.addWidget(self.low_caption)
        low_box.addWidget(self.low)
        # Said when no product is low, so an empty table is not taken for a fault.
        self.low_none = QLabel()
        self.low_none.setObjectName("lowStockNone")
        self.low_none.setWordWrap(True)
        self.low_none.hide()
        low_box.addWidget(self.low_none)
        grid.addLayout(top_box, 1, 0)
        grid.addLayout(low_box, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.scope_bar)
        layout.addLayout(tiles)
        layout.addWidget(self.message)
        layout.addLayout(grid, 1)
        self.retranslate()

    # --- data -------------------------------------------------------------------------
    def activate(self) -> None:
        self.reload()

    def show_today(self) -> None:
        self._today = None
        self.day.blockSignals(True)
        self.day.setDate(QDate.currentDate())
        self.day.blockSignals(False)
        self.reload()

    def chosen_day(self) -> date | None:
        """None for today: the report decides it, in the shop's time zone (which may be a
        day ahead of this computer's clock)."""
        d = self.day.date()
        chosen = date(d.year(), d.month(), d.day())
        if self._today is None or chosen == self._today:
            return None
        return chosen

    def reload(self) -> None:
        day = self.chosen_day()
        backend = self._ctx.backend
        scope = self.scope_bar.scope()
        self._ctx.tasks.run_in_background(
            lambda: backend.office.dashboard_scoped(day, scope), self._got, self._failed,
            lane=Lane.POOL, owner=self)

    def _got(self, scoped: Scoped[Dashboard]) -> None:
        self.scope_bar.show_scoped(scoped)
        self._show(scoped.value)

    def _failed(self, exc: Exception) -> None:
        self.message.setText(describe_error(exc))
        self.failed.emit(self.message.text())

    def _show(self, d: Dashboard) -> None:
        self.data = d
        self.message.clear()
        if self._today is None:
            self._today = d.day  # asked for "today": this is the shop's today
            self.day.blockSignals(True)
            self.day.setDate(QDate(d.day.year, d.day.month, d.day.day))
            self.day.blockSignals(False)
        values = {
            "sales_total": (rupiah(d.sales_total), ""),
            "sales_count": (number(d.sales_count), ""),
            "average": (rupiah(d.average_sale), ""),
            "refunds": (rupiah(d.refunds_total), tr("dash.refunds_count", n=d.refunds_count)),
            "kasbon": (rupiah(d.kasbon_outstanding),
                       tr("dash.kasbon_customers", n=d.kasbon_customers)),
        }
        for key, (value, sub) in values.items():
            self.tiles[key][1].setText(value)
            self.tiles[key][2].setText(sub)
        self._draw_hours(d)
        self._draw_mix(d)
        self.top.setRowCount(len(d.top_products))
        for r, t in enumerate(d.top_products):
            self.top.setItem(r, 0, cell(t.name))
            self.top.setItem(r, 1, cell(qty_text(t.qty_milli, t.unit), right=True))
            self.top.setItem(r, 2, cell(rupiah(t.amount), right=True))
        self.low.setRowCount(len(d.low_stock))
        for r, s in enumerate(d.low_stock):
            self.low.setItem(r, 0, cell(f"{s.name} ({s.sku})"))
            stock = cell(qty_text(s.level_milli, s.unit or None), right=True)
            if s.level_milli < 0:
                stock.setForeground(Qt.GlobalColor.red)
            self.low.setItem(r, 1, stock)
            self.low.setItem(r, 2, cell(qty_text(s.low_stock_milli), right=True))
        self.low_none.setVisible(not d.low_stock)
        self.loaded.emit(d)

    def _draw_hours(self, d: Dashboard) -> None:
        chart = self.hour_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # Shop hours that matter: from the first to the last hour with sales, at least 7-21.
        amounts = [h.amount for h in d.by_hour]  # 24 rows, hour 0..23
        active = [h.hour for h in d.by_hour if h.amount or h.sales_count]
        first = min([7] + active)
        last = max([21] + active)
        hours = list(range(first, last + 1))
        bars = QBarSet(tr("dash.sales_total"))
        bars.setColor(Qt.GlobalColor.darkCyan)
        for h in hours:
            bars.append(float(amounts[h]))
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append([f"{h:02d}" for h in hours])
        # Rupiah labels with the thousands separator (Rp 60.000), at round steps: a
        # category axis carries our own texts (services.formatting), not printf's 60000.
        y = QCategoryAxis()
        y.setObjectName("hourAxisY")
        ticks = axis_ticks(max(amounts) if any(amounts) else 1000)
        for value in ticks[1:]:
            y.append(rupiah(value), float(value))
        y.setStartValue(0.0)
        y.setRange(0.0, float(ticks[-1]))
        y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.hour_axis_y = y
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)

    def _draw_mix(self, d: Dashboard) -> None:
        chart = self.mix_chart
        chart.removeAllSeries()
        pie = QPieSeries()
        total = sum(m.amount for m in d.payment_mix)
        for m in d.payment_mix:
            if m.amount <= 0:
                continue
            share = percent(ratio_bp(m.amount, total), decimals=0)
            pie.append(f"{method_label(m.method)} {share} · {rupiah(m.amount)}",
                       float(m.amount))
        if not pie.count():
            pie.append(tr("dash.no_sales"), 1.0)
        chart.addSeries(pie)  # the theme colours the slices here
        self.mix_legend.setText("<br>".join(
            f'<span style="color: {sl.color().name()}; font-size: 16px">&#9632;</span> '
            f"{html.escape(sl.label())}" for sl in pie.slices()))

    def retranslate(self) -> None:
        self.title.setText(tr("dash.title"))
        self.scope_bar.retranslate()
        self.day_caption.setText(tr("dash.day"))
        self.today.setText(tr("dash.today"))
        self.refresh.setText(tr("dash.refresh"))
        for key in _TILES:
            self.tiles[key][0].setText(tr("dash." + key))
        self.hour_chart.setTitle(tr("dash.by_hour"))
        self.mix_chart.setTitle(tr("dash.mix"))
        self.top_caption.setText(tr("dash.top"))
        self.low_caption.setText(tr("dash.low"))
        self.low_none.setText(tr("dash.low_none"))
        self.top.setHorizontalHeaderLabels([tr("dash.col.product"), tr("dash.col.qty"),
                                            tr("dash.col.amount")])
        self.low.setHorizontalHeaderLabels([tr("dash.col.product"), tr("dash.col.stock"),
                                            tr("dash.col.reorder")])
        if self.data is not None:
            self._show(self.data)
