"""Analytics (back office, "Analitik"): for a chosen period and scope, net revenue per day
with its 7- and 28-day moving averages as a line chart, the change against the previous
period, sales by hour of the week as a heatmap, basket size, top and bottom products, the
repeat-customer rate and sales per cashier.

Figures are services.analytics' own (window functions on SQLite and PostgreSQL alike),
read on the pool lane. QtCharts (PySide6-Addons) is imported here, and this module only
when the screen is first opened, so the till's start never waits on it.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.analytics import WEEKDAYS_EN, WEEKDAYS_ID
from services.reports.values import Period
from ui.backend_books import AnalyticsView, Scoped
from ui.books_common import BooksScreen, ScopeBar, date_edit, fill_table, pydate, qdate
from ui.i18n import language, number, percent, quantity, rupiah, signed_rupiah, tr
from ui.office.common import OfficeContext, amp, cell, font, read_only_table
from ui.office.dashboard import axis_ticks
from ui.tasks import Lane, describe_error

HEAT_BASE = QColor("#12355b")


class AnalyticsScreen(BooksScreen):
    def __init__(self, ctx: OfficeContext) -> None:
        super().__init__(ctx, "analyticsScreen")
        self.data: Scoped[AnalyticsView] | None = None
        self._today = date.today()
        self.scope_bar = ScopeBar(ctx)
        self.scope_bar.changed.connect(self.reload)
        self.since = date_edit("anSince", self._today - timedelta(days=29))
        self.until = date_edit("anUntil", self._today)
        self.show_button = QPushButton()
        self.show_button.setObjectName("anShow")
        self.show_button.setMinimumHeight(34)
        self.show_button.clicked.connect(self.reload)
        self.quick = {days: QPushButton() for days in (7, 30, 90)}
        for days, b in self.quick.items():
            b.setObjectName(f"anLast{days}")
            b.setMinimumHeight(34)
            b.clicked.connect(lambda _=False, d=days: self.last_days(d))

        # headline figures
        self.figures: dict[str, tuple[QLabel, QLabel]] = {}
        heads = QGridLayout()
        for i, key in enumerate(("net", "change", "basket", "items", "repeat", "count")):
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"an_{key}")
            value.setFont(font(15, bold=True))
            caption.setStyleSheet("color: #555;")
            heads.addWidget(caption, 0, i)
            heads.addWidget(value, 1, i)
            self.figures[key] = (caption, value)

        # the revenue chart
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("revenueChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.axis_y: QCategoryAxis | None = None
        self.series: dict[str, QLineSeries] = {}

        # the rest, in tabs beside the chart
        self.heat = QTableWidget(7, 24)
        self.heat.setObjectName("heatmap")
        self.heat.setFont(font(7))
        self.heat.setTextElideMode(Qt.TextElideMode.ElideNone)  # "106", never "…"
        self.heat.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heat.horizontalHeader().setMinimumSectionSize(18)
        self.heat.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heat_hours: list[int] = list(range(24))
        self.heat.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.heat.setHorizontalHeaderLabels([f"{h:02d}" for h in range(24)])
        self.products_top = read_only_table(4, name="anTop")
        self.products_bottom = read_only_table(4, name="anBottom")
        self.cashiers = read_only_table(5, name="anCashiers")
        for t in (self.products_top, self.products_bottom, self.cashiers):
            t.setFont(font(10))
            t.verticalHeader().setDefaultSectionSize(26)
        products = QWidget()
        ph = QHBoxLayout(products)
        ph.setContentsMargins(0, 0, 0, 0)
        self._product_titles = (QLabel(), QLabel())
        for title, table in zip(self._product_titles, (self.products_top,
                                                       self.products_bottom), strict=True):
            col = QVBoxLayout()
            col.addWidget(title)
            col.addWidget(table)
            ph.addLayout(col)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("anTabs")
        self.tabs.addTab(self.heat, "")
        self.tabs.addTab(products, "")
        self.tabs.addTab(self.cashiers, "")

        filters = QHBoxLayout()
        self._period_caption = QLabel()
        filters.addWidget(self._period_caption)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.until)
        for b in self.quick.values():
            filters.addWidget(b)
        filters.addWidget(self.show_button)
        filters.addStretch(1)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.scope_bar, 3)
        body = QHBoxLayout()
        body.addWidget(self.chart_view, 1)
        body.addWidget(self.tabs, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(filters)
        layout.addLayout(heads)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        self.retranslate()

    # --- loading ----------------------------------------------------------------------
    def activate(self) -> None:
        if self.data is None:
            books = self.books
            self._ctx.tasks.run_in_background(books.today, self._got_today,
                                              lambda _e: self.reload(), owner=self,
                                              lane=Lane.POOL)
        else:
            self.reload()

    def _got_today(self, today: date) -> None:
        self._today = today
        self.last_days(30)

    def last_days(self, days: int) -> None:
        self.until.setDate(qdate(self._today))
        self.since.setDate(qdate(self._today - timedelta(days=days - 1)))
        self.reload()

    def period(self) -> Period:
        return Period(pydate(self.since.date()), pydate(self.until.date()) + timedelta(days=1))

    def reload(self) -> None:
        try:
            period = self.period()
        except Exception as exc:  # noqa: BLE001 - a BadInput about the dates
            self.say(describe_error(exc), error=True)
            return
        books, scope = self.books, self.scope_bar.scope()
        self.read(lambda: books.analytics(period, scope), self._show)

    def _show(self, scoped: Scoped[AnalyticsView]) -> None:
        self.data = scoped
        self.scope_bar.show_scoped(scoped)
        a = scoped.value
        trend = a.trend
        self.figures["net"][1].setText(rupiah(trend.net))
        change = self.figures["change"][1]
        change.setText(percent(trend.net_change_bp) if trend.previous_net else "–")
        change.setStyleSheet("color: #1b5e20;" if trend.net_change_bp > 0 else
                             "color: #b00020;" if trend.net_change_bp < 0 else "")
        self.figures["basket"][1].setText(rupiah(a.baskets.average_basket))
        self.figures["items"][1].setText(quantity(a.baskets.items_per_basket_milli))
        self.figures["repeat"][1].setText(percent(a.repeat.repeat_rate_bp)
                                          if a.repeat.repeat_rate_bp is not None else "–")
        self.figures["count"][1].setText(number(trend.sales_count))
        self.figures["change"][0].setToolTip(tr("books.an.previous",
                                                period=trend.previous.label(),
                                                net=rupiah(trend.previous_net),
                                                diff=signed_rupiah(trend.net
                                                                   - trend.previous_net)))
        self._draw_trend(a)
        self._draw_heat(a)
        lang = language()
        for table, value in ((self.products_top, a.products.report().tables[0]),
                             (self.cashiers, a.cashiers.report().tables[0])):
            fill_table(table, value)
        bottom = a.products.report().tables
        if len(bottom) > 1:
            fill_table(self.products_bottom, bottom[1])
            self._product_titles[1].setText(bottom[1].title(lang))
        self._product_titles[0].setText(bottom[0].title(lang))
        self.message.clear()

    def _draw_trend(self, a: AnalyticsView) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        points = a.trend.points
        self.series = {}
        colours = {"net": "#9bb7d4", "ma7": "#12355b", "ma28": "#e07b00"}
        for key in ("net", "ma7", "ma28"):
            s = QLineSeries()
            s.setName(tr(f"books.an.series.{key}"))
            pen = QPen(QColor(colours[key]))
            pen.setWidth(1 if key == "net" else 3)
            s.setPen(pen)
            for i, p in enumerate(points):
                s.append(float(i), float(getattr(p, key)))
            chart.addSeries(s)
            self.series[key] = s
        x = QCategoryAxis()
        x.setObjectName("revenueAxisX")
        step = max(1, len(points) // 6)
        for i in range(0, len(points), step):
            x.append(points[i].start.strftime("%d-%m"), float(i))
        x.setRange(0.0, float(max(1, len(points) - 1)))
        x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        top = max([p.net for p in points] + [p.ma28 for p in points] + [1000])
        y = QCategoryAxis()
        y.setObjectName("revenueAxisY")
        ticks = axis_ticks(top)
        for value in ticks[1:]:
            y.append(rupiah(value), float(value))
        y.setStartValue(0.0)
        y.setRange(0.0, float(ticks[-1]))
        y.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        self.axis_y = y
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for s in self.series.values():
            s.attachAxis(x)
            s.attachAxis(y)
        chart.setTitle(tr("books.an.chart", period=a.trend.period.label()))

    def _draw_heat(self, a: AnalyticsView) -> None:
        """Weekdays down, the shop's hours across: from the first to the last hour with
        sales, at least 07–21 (the night stays off the screen)."""
        cells = a.heatmap.cells
        active = [c.hour for c in cells if c.sales_count]
        first, last = min([7] + active), max([21] + active)
        self.heat_hours = list(range(first, last + 1))
        self.heat.clear()
        self.heat.setColumnCount(len(self.heat_hours))
        self.heat.setHorizontalHeaderLabels([f"{h:02d}" for h in self.heat_hours])
        self.heat.setVerticalHeaderLabels(list(WEEKDAYS_EN if language() == "en"
                                               else WEEKDAYS_ID))
        top = max([c.amount for c in cells] + [1])
        for c in cells:
            if not first <= c.hour <= last:
                continue
            item = cell(str(c.sales_count) if c.sales_count else "", right=True)
            share = c.amount / top
            colour = QColor(HEAT_BASE)
            colour.setAlphaF(0.08 + 0.92 * share if c.amount else 0.0)
            item.setBackground(colour)
            if share > 0.5:
                item.setForeground(QColor("white"))
            item.setToolTip(f"{rupiah(c.amount)} · {number(c.sales_count)}")
            self.heat.setItem(c.weekday, c.hour - first, item)

    def heat_counts(self) -> list[list[int]]:
        """The sales count in each cell, Monday 00 first (tests)."""
        out = [[0] * 24 for _ in range(7)]
        if self.data is not None:
            for c in self.data.value.heatmap.cells:
                out[c.weekday][c.hour] = c.sales_count
        return out

    def retranslate(self) -> None:
        self.title.setText(tr("books.an.title"))
        self._period_caption.setText(tr("books.period"))
        self.show_button.setText(tr("books.show"))
        for days, b in self.quick.items():
            b.setText(tr("books.an.last_days", n=days))
        for key, (caption, _value) in self.figures.items():
            caption.setText(tr(f"books.an.fig.{key}"))
        self.tabs.setTabText(0, amp(tr("books.an.tab.heat")))
        self.tabs.setTabText(1, amp(tr("books.an.tab.products")))
        self.tabs.setTabText(2, amp(tr("books.an.tab.cashiers")))
        self.scope_bar.retranslate()
        if self.data is not None:
            self._show(self.data)

