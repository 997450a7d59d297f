<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
  <context>
    <name>warungin</name>
    <message>
      <source>adjust.add</source>
      <translation>Add to stock</translation>
    </message>
    <message>
      <source>adjust.code</source>
      <translation>SKU / barcode</translation>
    </message>
    <message>
      <source>adjust.done</source>
      <translation>Stock of {sku} {change}, now {level}.</translation>
    </message>
    <message>
      <source>adjust.qty</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <source>adjust.reason</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>adjust.remove</source>
      <translation>Take from stock</translation>
    </message>
    <message>
      <source>adjust.save</source>
      <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
      <source>adjust.title</source>
      <translation>Stock adjustment</translation>
    </message>
    <message>
      <source>adjust.waste</source>
      <translation>Waste (damaged or expired)</translation>
    </message>
    <message>
      <source>age.days</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <source>age.hours</source>
      <translation>{n} h</translation>
    </message>
    <message>
      <source>age.minutes</source>
      <translation>{n} min</translation>
    </message>
    <message>
      <source>age.seconds</source>
      <translation>{n} s</translation>
    </message>
    <message>
      <source>alerts.channel.email</source>
      <translation>email</translation>
    </message>
    <message>
      <source>alerts.channel.push</source>
      <translation>app notification</translation>
    </message>
    <message>
      <source>alerts.channel.sms</source>
      <translation>SMS</translation>
    </message>
    <message>
      <source>alerts.channel.whatsapp</source>
      <translation>WhatsApp</translation>
    </message>
    <message>
      <source>alerts.days</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <source>alerts.job.campaigns</source>
      <translation>Scheduled campaigns</translation>
    </message>
    <message>
      <source>alerts.job.daily_summary</source>
      <translation>Daily summary</translation>
    </message>
    <message>
      <source>alerts.job.nightly</source>
      <translation>Nightly jobs (points, tiers, segments)</translation>
    </message>
    <message>
      <source>alerts.job.stock_alerts</source>
      <translation>Low-stock digest</translation>
    </message>
    <message>
      <source>alerts.job.summary_catch_up</source>
      <translation>Summary catch-up</translation>
    </message>
    <message>
      <source>alerts.reorder.alerts_title</source>
      <translation>Low stock: {n} open alerts</translation>
    </message>
    <message>
      <source>alerts.reorder.all_sent</source>
      <translation>{n} open alerts; all sent to the owner by {channel}.</translation>
    </message>
    <message>
      <source>alerts.reorder.col.lead</source>
      <translation>Lead time</translation>
    </message>
    <message>
      <source>alerts.reorder.col.level</source>
      <translation>On hand</translation>
    </message>
    <message>
      <source>alerts.reorder.col.per_day</source>
      <translation>Sold/day</translation>
    </message>
    <message>
      <source>alerts.reorder.col.point</source>
      <translation>Reorder point</translation>
    </message>
    <message>
      <source>alerts.reorder.col.product</source>
      <translation>Product</translation>
    </message>
    <message>
      <source>alerts.reorder.col.sent</source>
      <translation>Sent to the owner</translation>
    </message>
    <message>
      <source>alerts.reorder.col.since</source>
      <translation>Since</translation>
    </message>
    <message>
      <source>alerts.reorder.col.sku</source>
      <translation>SKU</translation>
    </message>
    <message>
      <source>alerts.reorder.col.suggested</source>
      <translation>Suggested order</translation>
    </message>
    <message>
      <source>alerts.reorder.col.supplier</source>
      <translation>Supplier</translation>
    </message>
    <message>
      <source>alerts.reorder.col.threshold</source>
      <translation>Threshold</translation>
    </message>
    <message>
      <source>alerts.reorder.list_title</source>
      <translation>Suggested orders: {n} products</translation>
    </message>
    <message>
      <source>alerts.reorder.no_channel</source>
      <translation>{n} open alerts. The owner's channel is not set up (Settings → Messages), so the alerts are only shown here.</translation>
    </message>
    <message>
      <source>alerts.reorder.no_channel_short</source>
      <translation>The owner's channel is not set up: nothing was sent.</translation>
    </message>
    <message>
      <source>alerts.reorder.no_supplier</source>
      <translation>no supplier yet</translation>
    </message>
    <message>
      <source>alerts.reorder.nothing_to_send</source>
      <translation>No new alert to send.</translation>
    </message>
    <message>
      <source>alerts.reorder.packs</source>
      <translation>{qty} ({n} × pack of {pack})</translation>
    </message>
    <message>
      <source>alerts.reorder.pending</source>
      <translation>{n} open alerts; {pending} not yet sent to the owner by {channel}.</translation>
    </message>
    <message>
      <source>alerts.reorder.rule</source>
      <translation>Reorder point = average sold per day over the last {days} days (up to before {until}, refunds taken off) × the supplier's lead time + safety stock. Suggested order = reorder point − stock on hand, rounded up to whole packs.</translation>
    </message>
    <message>
      <source>alerts.reorder.send</source>
      <translation>Send the stock digest now</translation>
    </message>
    <message>
      <source>alerts.reorder.sent</source>
      <translation>A digest of {n} alerts was sent to the owner by {channel}.</translation>
    </message>
    <message>
      <source>alerts.reorder.title</source>
      <translation>Reorder stock</translation>
    </message>
    <message>
      <source>alerts.reorder.waiting</source>
      <translation>waiting to be sent</translation>
    </message>
    <message>
      <source>alerts.schedule.any_till</source>
      <translation>any till (the first to claim it at central)</translation>
    </message>
    <message>
      <source>alerts.schedule.col.day</source>
      <translation>Day</translation>
    </message>
    <message>
      <source>alerts.schedule.col.job</source>
      <translation>Job</translation>
    </message>
    <message>
      <source>alerts.schedule.col.next</source>
      <translation>Next run</translation>
    </message>
    <message>
      <source>alerts.schedule.col.reason</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>alerts.schedule.col.recipient</source>
      <translation>Recipient</translation>
    </message>
    <message>
      <source>alerts.schedule.col.scheduled</source>
      <translation>Scheduled for</translation>
    </message>
    <message>
      <source>alerts.schedule.col.state</source>
      <translation>State</translation>
    </message>
    <message>
      <source>alerts.schedule.col.when</source>
      <translation>Schedule</translation>
    </message>
    <message>
      <source>alerts.schedule.daily_at</source>
      <translation>daily at {at}</translation>
    </message>
    <message>
      <source>alerts.schedule.every</source>
      <translation>every {n} minutes</translation>
    </message>
    <message>
      <source>alerts.schedule.field.misfire</source>
      <translation>Catch-up window</translation>
    </message>
    <message>
      <source>alerts.schedule.field.next</source>
      <translation>Next</translation>
    </message>
    <message>
      <source>alerts.schedule.field.recipients</source>
      <translation>Recipients</translation>
    </message>
    <message>
      <source>alerts.schedule.field.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>alerts.schedule.field.till</source>
      <translation>Sending till</translation>
    </message>
    <message>
      <source>alerts.schedule.field.time</source>
      <translation>Closing time</translation>
    </message>
    <message>
      <source>alerts.schedule.field.zone</source>
      <translation>Time zone</translation>
    </message>
    <message>
      <source>alerts.schedule.hours</source>
      <translation>{n} hours</translation>
    </message>
    <message>
      <source>alerts.schedule.jobs_title</source>
      <translation>Scheduled jobs</translation>
    </message>
    <message>
      <source>alerts.schedule.log_title</source>
      <translation>Email log ({n})</translation>
    </message>
    <message>
      <source>alerts.schedule.misfire_rule</source>
      <translation>If the PC is off at closing time, the summary is sent when it is back on within {n} hours; later than that it is logged as missed, never sent late. One email per store, day and recipient.</translation>
    </message>
    <message>
      <source>alerts.schedule.no_recipients</source>
      <translation>no recipient yet: nothing is sent</translation>
    </message>
    <message>
      <source>alerts.schedule.not_running</source>
      <translation>The scheduler is not running here; the schedule below is from the settings (run the till program or 'warungin scheduler run').</translation>
    </message>
    <message>
      <source>alerts.schedule.off</source>
      <translation>Off</translation>
    </message>
    <message>
      <source>alerts.schedule.on</source>
      <translation>On</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.missed</source>
      <translation>missed: the PC was off or could not send within the catch-up window</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.no_key</source>
      <translation>the data key cannot be read (keyring)</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.other_till</source>
      <translation>sent by till {till}</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.unreachable</source>
      <translation>central unreachable; trying again</translation>
    </message>
    <message>
      <source>alerts.schedule.running</source>
      <translation>The scheduler is running in this program.</translation>
    </message>
    <message>
      <source>alerts.schedule.summary_title</source>
      <translation>Daily summary to the owner</translation>
    </message>
    <message>
      <source>alerts.schedule.title</source>
      <translation>Scheduled emails</translation>
    </message>
    <message>
      <source>alerts.state.failed</source>
      <translation>Failed</translation>
    </message>
    <message>
      <source>alerts.state.queued</source>
      <translation>Waiting to send</translation>
    </message>
    <message>
      <source>alerts.state.sent</source>
      <translation>Sent</translation>
    </message>
    <message>
      <source>alerts.state.skipped</source>
      <translation>Skipped</translation>
    </message>
    <message>
      <source>app.title</source>
      <translation>Warungin — {store}</translation>
    </message>
    <message>
      <source>books.all</source>
      <translation>All</translation>
    </message>
    <message>
      <source>books.an.chart</source>
      <translation>Revenue {period}</translation>
    </message>
    <message>
      <source>books.an.fig.basket</source>
      <translation>Average basket</translation>
    </message>
    <message>
      <source>books.an.fig.change</source>
      <translation>Against before</translation>
    </message>
    <message>
      <source>books.an.fig.count</source>
      <translation>Sales</translation>
    </message>
    <message>
      <source>books.an.fig.items</source>
      <translation>Items per basket</translation>
    </message>
    <message>
      <source>books.an.fig.net</source>
      <translation>Net sales</translation>
    </message>
    <message>
      <source>books.an.fig.repeat</source>
      <translation>Customers returning</translation>
    </message>
    <message>
      <source>books.an.last_days</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <source>books.an.previous</source>
      <translation>Previous period {period}: {net} ({diff})</translation>
    </message>
    <message>
      <source>books.an.series.ma28</source>
      <translation>28-day average</translation>
    </message>
    <message>
      <source>books.an.series.ma7</source>
      <translation>7-day average</translation>
    </message>
    <message>
      <source>books.an.series.net</source>
      <translation>Net per day</translation>
    </message>
    <message>
      <source>books.an.tab.cashiers</source>
      <translation>Per cashier</translation>
    </message>
    <message>
      <source>books.an.tab.heat</source>
      <translation>Busy hours</translation>
    </message>
    <message>
      <source>books.an.tab.products</source>
      <translation>Top &amp; bottom products</translation>
    </message>
    <message>
      <source>books.an.title</source>
      <translation>Analytics</translation>
    </message>
    <message>
      <source>books.cat.add</source>
      <translation>Add category</translation>
    </message>
    <message>
      <source>books.cat.added</source>
      <translation>Category {name} added.</translation>
    </message>
    <message>
      <source>books.cat.code</source>
      <translation>Code</translation>
    </message>
    <message>
      <source>books.cat.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>books.cat.new</source>
      <translation>New category</translation>
    </message>
    <message>
      <source>books.exp.col.amount</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>books.exp.col.category</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>books.exp.col.day</source>
      <translation>Date</translation>
    </message>
    <message>
      <source>books.exp.col.note</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>books.exp.col.paid_from</source>
      <translation>From</translation>
    </message>
    <message>
      <source>books.exp.col.payee</source>
      <translation>Paid to</translation>
    </message>
    <message>
      <source>books.exp.field.amount</source>
      <translation>Amount (Rp)</translation>
    </message>
    <message>
      <source>books.exp.field.category</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>books.exp.field.due_date</source>
      <translation>Due date</translation>
    </message>
    <message>
      <source>books.exp.field.note</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>books.exp.field.paid_from</source>
      <translation>Paid from</translation>
    </message>
    <message>
      <source>books.exp.field.payee</source>
      <translation>Paid to</translation>
    </message>
    <message>
      <source>books.exp.field.receipt_photo</source>
      <translation>Receipt photo</translation>
    </message>
    <message>
      <source>books.exp.field.spent_on</source>
      <translation>Date</translation>
    </message>
    <message>
      <source>books.exp.new</source>
      <translation>Record an expense</translation>
    </message>
    <message>
      <source>books.exp.payee_hint</source>
      <translation>e.g. PLN, Pak Joko (ice)</translation>
    </message>
    <message>
      <source>books.exp.photo_pick</source>
      <translation>Choose…</translation>
    </message>
    <message>
      <source>books.exp.save</source>
      <translation>Save expense</translation>
    </message>
    <message>
      <source>books.exp.saved</source>
      <translation>Saved: {amount} to {payee}.</translation>
    </message>
    <message>
      <source>books.exp.title</source>
      <translation>Expenses</translation>
    </message>
    <message>
      <source>books.exp.total</source>
      <translation>{n} expenses · {amount}</translation>
    </message>
    <message>
      <source>books.jr.account</source>
      <translation>Account</translation>
    </message>
    <message>
      <source>books.jr.kind</source>
      <translation>Kind</translation>
    </message>
    <message>
      <source>books.jr.text_hint</source>
      <translation>Search a memo or receipt number</translation>
    </message>
    <message>
      <source>books.jr.title</source>
      <translation>Journal</translation>
    </message>
    <message>
      <source>books.paid_from.bank</source>
      <translation>Bank</translation>
    </message>
    <message>
      <source>books.paid_from.drawer</source>
      <translation>Cash drawer</translation>
    </message>
    <message>
      <source>books.paid_from.owed</source>
      <translation>Owed (pay later)</translation>
    </message>
    <message>
      <source>books.pay.amount</source>
      <translation>Amount (Rp)</translation>
    </message>
    <message>
      <source>books.pay.chosen</source>
      <translation>{supplier}: {open} open</translation>
    </message>
    <message>
      <source>books.pay.col.amount</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>books.pay.col.due</source>
      <translation>Due</translation>
    </message>
    <message>
      <source>books.pay.col.note</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>books.pay.col.open</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>books.pay.col.overdue</source>
      <translation>Overdue</translation>
    </message>
    <message>
      <source>books.pay.col.paid</source>
      <translation>Paid</translation>
    </message>
    <message>
      <source>books.pay.col.source</source>
      <translation>From</translation>
    </message>
    <message>
      <source>books.pay.col.supplier</source>
      <translation>Supplier / payee</translation>
    </message>
    <message>
      <source>books.pay.days</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <source>books.pay.from</source>
      <translation>Paid from</translation>
    </message>
    <message>
      <source>books.pay.open_only</source>
      <translation>Only those not fully paid</translation>
    </message>
    <message>
      <source>books.pay.paid</source>
      <translation>{amount} paid to {supplier}; {open} open.</translation>
    </message>
    <message>
      <source>books.pay.pay</source>
      <translation>Pay</translation>
    </message>
    <message>
      <source>books.pay.pay_title</source>
      <translation>Pay a payable</translation>
    </message>
    <message>
      <source>books.pay.pick_one</source>
      <translation>Choose a payable in the list to pay it.</translation>
    </message>
    <message>
      <source>books.pay.source.expense</source>
      <translation>Expense</translation>
    </message>
    <message>
      <source>books.pay.source.goods</source>
      <translation>Goods received</translation>
    </message>
    <message>
      <source>books.pay.source.other</source>
      <translation>Other</translation>
    </message>
    <message>
      <source>books.pay.title</source>
      <translation>Payables</translation>
    </message>
    <message>
      <source>books.pay.totals</source>
      <translation>Open {open} · overdue {overdue}</translation>
    </message>
    <message>
      <source>books.pay.whole</source>
      <translation>Pay in full</translation>
    </message>
    <message>
      <source>books.per.act</source>
      <translation>The chosen month</translation>
    </message>
    <message>
      <source>books.per.chosen</source>
      <translation>{period}: {state}</translation>
    </message>
    <message>
      <source>books.per.close</source>
      <translation>Close this month's books</translation>
    </message>
    <message>
      <source>books.per.close_caption</source>
      <translation>Close</translation>
    </message>
    <message>
      <source>books.per.col.closed</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>books.per.col.late</source>
      <translation>Late postings</translation>
    </message>
    <message>
      <source>books.per.col.note</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>books.per.col.period</source>
      <translation>Month</translation>
    </message>
    <message>
      <source>books.per.col.ppn_filed</source>
      <translation>PPN return filed</translation>
    </message>
    <message>
      <source>books.per.col.state</source>
      <translation>State</translation>
    </message>
    <message>
      <source>books.per.done.close</source>
      <translation>The books of {period} are closed.</translation>
    </message>
    <message>
      <source>books.per.done.lock</source>
      <translation>The books of {period} are locked.</translation>
    </message>
    <message>
      <source>books.per.done.reopen</source>
      <translation>The books of {period} are open again.</translation>
    </message>
    <message>
      <source>books.per.explain</source>
      <translation>Closing moves the month's income and expenses to retained earnings; after it only a supervisor can post into that month (audited), and the owner can reopen it with a reason. Once the PPN return is filed, lock the month: nothing more is accepted and it never reopens. Corrections go in a month that is still open.</translation>
    </message>
    <message>
      <source>books.per.lock</source>
      <translation>Lock</translation>
    </message>
    <message>
      <source>books.per.lock_caption</source>
      <translation>PPN return filed</translation>
    </message>
    <message>
      <source>books.per.month</source>
      <translation>Month</translation>
    </message>
    <message>
      <source>books.per.pick_one</source>
      <translation>Choose a month in the list or in the Month box.</translation>
    </message>
    <message>
      <source>books.per.reason_hint</source>
      <translation>Why it is reopened</translation>
    </message>
    <message>
      <source>books.per.reopen</source>
      <translation>Reopen</translation>
    </message>
    <message>
      <source>books.per.reopen_caption</source>
      <translation>Reopen</translation>
    </message>
    <message>
      <source>books.per.state.hard</source>
      <translation>Locked</translation>
    </message>
    <message>
      <source>books.per.state.open</source>
      <translation>Open</translation>
    </message>
    <message>
      <source>books.per.state.soft</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>books.per.title</source>
      <translation>Period close</translation>
    </message>
    <message>
      <source>books.period</source>
      <translation>Period</translation>
    </message>
    <message>
      <source>books.rec.as_of</source>
      <translation>As of</translation>
    </message>
    <message>
      <source>books.rec.title</source>
      <translation>Receivables</translation>
    </message>
    <message>
      <source>books.scope.as_of</source>
      <translation>as of {when}</translation>
    </message>
    <message>
      <source>books.scope.caption</source>
      <translation>Figures of:</translation>
    </message>
    <message>
      <source>books.scope.central</source>
      <translation>From central: {tenant}</translation>
    </message>
    <message>
      <source>books.scope.offline</source>
      <translation>Offline: showing this till's figures only ({why}).</translation>
    </message>
    <message>
      <source>books.scope.oldest_push</source>
      <translation>oldest till push {when}</translation>
    </message>
    <message>
      <source>books.scope.store</source>
      <translation>One store</translation>
    </message>
    <message>
      <source>books.scope.tenant</source>
      <translation>Whole shop</translation>
    </message>
    <message>
      <source>books.scope.till</source>
      <translation>This till</translation>
    </message>
    <message>
      <source>books.show</source>
      <translation>Show (F5)</translation>
    </message>
    <message>
      <source>books.st.account</source>
      <translation>Cash account</translation>
    </message>
    <message>
      <source>books.st.export</source>
      <translation>Save {fmt}</translation>
    </message>
    <message>
      <source>books.st.exported</source>
      <translation>Saved to {path}</translation>
    </message>
    <message>
      <source>books.st.kind</source>
      <translation>Statement</translation>
    </message>
    <message>
      <source>books.st.kind.balance-sheet</source>
      <translation>Balance sheet</translation>
    </message>
    <message>
      <source>books.st.kind.cashbook</source>
      <translation>Cash book</translation>
    </message>
    <message>
      <source>books.st.kind.pnl</source>
      <translation>Profit and loss</translation>
    </message>
    <message>
      <source>books.st.kind.trial-balance</source>
      <translation>Trial balance</translation>
    </message>
    <message>
      <source>books.st.last_month</source>
      <translation>Last month</translation>
    </message>
    <message>
      <source>books.st.save_as</source>
      <translation>Save the statement as</translation>
    </message>
    <message>
      <source>books.st.this_month</source>
      <translation>This month</translation>
    </message>
    <message>
      <source>books.st.title</source>
      <translation>Statements</translation>
    </message>
    <message>
      <source>campaigns.channel.email</source>
      <translation>Email</translation>
    </message>
    <message>
      <source>campaigns.channel.push</source>
      <translation>App notification</translation>
    </message>
    <message>
      <source>campaigns.channel.sms</source>
      <translation>SMS</translation>
    </message>
    <message>
      <source>campaigns.channel.whatsapp</source>
      <translation>WhatsApp</translation>
    </message>
    <message>
      <source>campaigns.col.channel</source>
      <translation>Channel</translation>
    </message>
    <message>
      <source>campaigns.col.holdout</source>
      <translation>Holdout</translation>
    </message>
    <message>
      <source>campaigns.col.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>campaigns.col.send</source>
      <translation>Sent</translation>
    </message>
    <message>
      <source>campaigns.col.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>campaigns.col.when</source>
      <translation>When</translation>
    </message>
    <message>
      <source>campaigns.compose</source>
      <translation>New campaign</translation>
    </message>
    <message>
      <source>campaigns.count</source>
      <translation>{eligible} reachable: {send} to send, {holdout} in the holdout. Left out: {no_consent} without consent, {opted_out} opted out, {no_address} without an address.</translation>
    </message>
    <message>
      <source>campaigns.everyone</source>
      <translation>Everyone who consented</translation>
    </message>
    <message>
      <source>campaigns.field.audience</source>
      <translation>Audience</translation>
    </message>
    <message>
      <source>campaigns.field.channel</source>
      <translation>Channel</translation>
    </message>
    <message>
      <source>campaigns.field.cost</source>
      <translation>Cost (Rp)</translation>
    </message>
    <message>
      <source>campaigns.field.holdout_share</source>
      <translation>Holdout share</translation>
    </message>
    <message>
      <source>campaigns.field.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>campaigns.field.schedule_on</source>
      <translation>Schedule (otherwise a draft, sent by hand)</translation>
    </message>
    <message>
      <source>campaigns.field.scheduled_at</source>
      <translation>Send time</translation>
    </message>
    <message>
      <source>campaigns.field.text</source>
      <translation>Message</translation>
    </message>
    <message>
      <source>campaigns.formula</source>
      <translation>Lift = conversion of the sent group − conversion of the holdout (not sent). Incremental gross profit = (gross profit per sent member − per holdout member) × sent group size. ROI = (incremental gross profit − cost) / cost. Attributed revenue is claimed by last touch or promo code, not incremental.</translation>
    </message>
    <message>
      <source>campaigns.list</source>
      <translation>Campaigns and results</translation>
    </message>
    <message>
      <source>campaigns.preview</source>
      <translation>Preview audience</translation>
    </message>
    <message>
      <source>campaigns.results.attributed</source>
      <translation>Attributed revenue (claimed, not incremental): {amount} from {n} sales</translation>
    </message>
    <message>
      <source>campaigns.results.groups</source>
      <translation>Sent {send}, conversion {send_conv}; holdout {holdout}, conversion {holdout_conv}</translation>
    </message>
    <message>
      <source>campaigns.results.incremental</source>
      <translation>Incremental gross profit: {amount} (cost {cost})</translation>
    </message>
    <message>
      <source>campaigns.results.lift</source>
      <translation>Lift: {lift}</translation>
    </message>
    <message>
      <source>campaigns.results.roi</source>
      <translation>ROI: {roi}</translation>
    </message>
    <message>
      <source>campaigns.results.window_open</source>
      <translation>The attribution window is still open: figures may change.</translation>
    </message>
    <message>
      <source>campaigns.save</source>
      <translation>Save campaign</translation>
    </message>
    <message>
      <source>campaigns.saved</source>
      <translation>Campaign {name} saved.</translation>
    </message>
    <message>
      <source>campaigns.send</source>
      <translation>Send now</translation>
    </message>
    <message>
      <source>campaigns.sent</source>
      <translation>{n} messages queued; the {holdout} in the holdout are not sent.</translation>
    </message>
    <message>
      <source>campaigns.status.cancelled</source>
      <translation>Cancelled</translation>
    </message>
    <message>
      <source>campaigns.status.draft</source>
      <translation>Draft</translation>
    </message>
    <message>
      <source>campaigns.status.scheduled</source>
      <translation>Scheduled</translation>
    </message>
    <message>
      <source>campaigns.status.sent</source>
      <translation>Sent</translation>
    </message>
    <message>
      <source>campaigns.title</source>
      <translation>Campaigns</translation>
    </message>
    <message>
      <source>cart.busy</source>
      <translation>One moment…</translation>
    </message>
    <message>
      <source>cart.customer</source>
      <translation>Customer
(F7)</translation>
    </message>
    <message>
      <source>cart.customer_attached</source>
      <translation>Customer {name} attached to the sale.</translation>
    </message>
    <message>
      <source>cart.customer_detached</source>
      <translation>Customer detached from the sale.</translation>
    </message>
    <message>
      <source>cart.customer_kasbon</source>
      <translation>Kasbon: {balance} · {available} left of the limit</translation>
    </message>
    <message>
      <source>cart.customer_line</source>
      <translation>Customer: {name}</translation>
    </message>
    <message>
      <source>cart.customer_no_kasbon</source>
      <translation>Kasbon: {balance} · no kasbon limit</translation>
    </message>
    <message>
      <source>cart.disc_suffix</source>
      <translation>discount {amount}</translation>
    </message>
    <message>
      <source>cart.discount_removed</source>
      <translation>Discount on {target} removed.</translation>
    </message>
    <message>
      <source>cart.discount_set</source>
      <translation>Discount {amount} on {target}</translation>
    </message>
    <message>
      <source>cart.discount_what</source>
      <translation>A {percent}% discount on {target} (your limit is {limit}%)</translation>
    </message>
    <message>
      <source>cart.grid_toggle</source>
      <translation>Categories (Ctrl+G)</translation>
    </message>
    <message>
      <source>cart.held</source>
      <translation>Cart held: {label}</translation>
    </message>
    <message>
      <source>cart.hold</source>
      <translation>Hold
(F8)</translation>
    </message>
    <message>
      <source>cart.hold_default</source>
      <translation>Cart {time}</translation>
    </message>
    <message>
      <source>cart.line_discount</source>
      <translation>Line discount
(F3)</translation>
    </message>
    <message>
      <source>cart.no_held</source>
      <translation>No held carts.</translation>
    </message>
    <message>
      <source>cart.no_line</source>
      <translation>Choose a line first (scan an item or click a line).</translation>
    </message>
    <message>
      <source>cart.order</source>
      <translation>the whole order</translation>
    </message>
    <message>
      <source>cart.order_discount</source>
      <translation>Order discount
(⇧F3)</translation>
    </message>
    <message>
      <source>cart.qty</source>
      <translation>Quantity
(F4)</translation>
    </message>
    <message>
      <source>cart.qty_set</source>
      <translation>{name}: quantity {qty}</translation>
    </message>
    <message>
      <source>cart.removed</source>
      <translation>{name} removed from the cart.</translation>
    </message>
    <message>
      <source>cart.resume</source>
      <translation>Resume
(⇧F8)</translation>
    </message>
    <message>
      <source>cart.resume_busy</source>
      <translation>The cart is not empty: hold it (F8) or finish it first.</translation>
    </message>
    <message>
      <source>cart.resumed</source>
      <translation>Cart {label} resumed.</translation>
    </message>
    <message>
      <source>cart.void_cart_what</source>
      <translation>Clear the cart ({count} lines, {amount})</translation>
    </message>
    <message>
      <source>cart.void_what</source>
      <translation>Remove {name} from the cart</translation>
    </message>
    <message>
      <source>cart.weighed_line</source>
      <translation>{qty} {unit} × {price}</translation>
    </message>
    <message>
      <source>count.counted</source>
      <translation>Counted</translation>
    </message>
    <message>
      <source>count.default_reason</source>
      <translation>Stock count</translation>
    </message>
    <message>
      <source>count.reason</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>count.title</source>
      <translation>Stock count</translation>
    </message>
    <message>
      <source>cust.attach</source>
      <translation>Attach (Enter)</translation>
    </message>
    <message>
      <source>cust.cancel</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>cust.create</source>
      <translation>Save and attach (Ctrl+S)</translation>
    </message>
    <message>
      <source>cust.detach</source>
      <translation>Detach customer (⇧F7)</translation>
    </message>
    <message>
      <source>cust.field.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>cust.field.phone</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>cust.field_error</source>
      <translation>{field}: {reason}</translation>
    </message>
    <message>
      <source>cust.hit</source>
      <translation>{name}{phone}{limit}</translation>
    </message>
    <message>
      <source>cust.hit_limit</source>
      <translation> · kasbon limit {limit}</translation>
    </message>
    <message>
      <source>cust.hit_phone</source>
      <translation> · has phone</translation>
    </message>
    <message>
      <source>cust.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>cust.new</source>
      <translation>New customer</translation>
    </message>
    <message>
      <source>cust.none</source>
      <translation>Not found. Create a new customer below.</translation>
    </message>
    <message>
      <source>cust.phone</source>
      <translation>Phone (optional)</translation>
    </message>
    <message>
      <source>cust.saving</source>
      <translation>Saving…</translation>
    </message>
    <message>
      <source>cust.search</source>
      <translation>Search name or phone number</translation>
    </message>
    <message>
      <source>cust.search_hint</source>
      <translation>Type a name or phone number, then Enter</translation>
    </message>
    <message>
      <source>cust.searching</source>
      <translation>Searching…</translation>
    </message>
    <message>
      <source>cust.title</source>
      <translation>Customer (F7)</translation>
    </message>
    <message>
      <source>dash.average</source>
      <translation>Average sale</translation>
    </message>
    <message>
      <source>dash.by_hour</source>
      <translation>Sales by hour</translation>
    </message>
    <message>
      <source>dash.col.amount</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>dash.col.product</source>
      <translation>Product</translation>
    </message>
    <message>
      <source>dash.col.qty</source>
      <translation>Sold</translation>
    </message>
    <message>
      <source>dash.col.reorder</source>
      <translation>Reorder point</translation>
    </message>
    <message>
      <source>dash.col.stock</source>
      <translation>Stock</translation>
    </message>
    <message>
      <source>dash.day</source>
      <translation>Day</translation>
    </message>
    <message>
      <source>dash.kasbon</source>
      <translation>Kasbon outstanding</translation>
    </message>
    <message>
      <source>dash.kasbon_customers</source>
      <translation>from {n} customer(s)</translation>
    </message>
    <message>
      <source>dash.low</source>
      <translation>Low stock</translation>
    </message>
    <message>
      <source>dash.low_none</source>
      <translation>No low stock: every product is above its reorder level.</translation>
    </message>
    <message>
      <source>dash.method.cash</source>
      <translation>Cash</translation>
    </message>
    <message>
      <source>dash.method.edc</source>
      <translation>Card EDC</translation>
    </message>
    <message>
      <source>dash.method.gopay</source>
      <translation>GoPay</translation>
    </message>
    <message>
      <source>dash.method.kasbon</source>
      <translation>Kasbon</translation>
    </message>
    <message>
      <source>dash.method.qris</source>
      <translation>QRIS</translation>
    </message>
    <message>
      <source>dash.method.shopeepay</source>
      <translation>ShopeePay</translation>
    </message>
    <message>
      <source>dash.method.va_bca</source>
      <translation>VA BCA</translation>
    </message>
    <message>
      <source>dash.method.va_bni</source>
      <translation>VA BNI</translation>
    </message>
    <message>
      <source>dash.method.va_bri</source>
      <translation>VA BRI</translation>
    </message>
    <message>
      <source>dash.method.va_permata</source>
      <translation>VA Permata</translation>
    </message>
    <message>
      <source>dash.mix</source>
      <translation>Payment methods</translation>
    </message>
    <message>
      <source>dash.no_sales</source>
      <translation>No sales yet</translation>
    </message>
    <message>
      <source>dash.refresh</source>
      <translation>Refresh (F5)</translation>
    </message>
    <message>
      <source>dash.refunds</source>
      <translation>Refunds</translation>
    </message>
    <message>
      <source>dash.refunds_count</source>
      <translation>{n} refund(s)</translation>
    </message>
    <message>
      <source>dash.sales_count</source>
      <translation>Transactions</translation>
    </message>
    <message>
      <source>dash.sales_total</source>
      <translation>Sales</translation>
    </message>
    <message>
      <source>dash.title</source>
      <translation>Sales dashboard</translation>
    </message>
    <message>
      <source>dash.today</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>dash.top</source>
      <translation>Best sellers</translation>
    </message>
    <message>
      <source>datareq.col.consent</source>
      <translation>Consent</translation>
    </message>
    <message>
      <source>datareq.col.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>datareq.col.phone</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>datareq.col.source</source>
      <translation>Through</translation>
    </message>
    <message>
      <source>datareq.col.time</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>datareq.col.who</source>
      <translation>By</translation>
    </message>
    <message>
      <source>datareq.consent_no</source>
      <translation>no marketing</translation>
    </message>
    <message>
      <source>datareq.consent_yes</source>
      <translation>agrees to marketing</translation>
    </message>
    <message>
      <source>datareq.customer</source>
      <translation>Customer</translation>
    </message>
    <message>
      <source>datareq.erase</source>
      <translation>Erase customer data…</translation>
    </message>
    <message>
      <source>datareq.erase_cancelled</source>
      <translation>Erasure cancelled.</translation>
    </message>
    <message>
      <source>datareq.erase_confirm</source>
      <translation>Erase {name}'s personal data? Name, phone, email, address and message addresses are erased on every till; sales stay recorded. This cannot be undone.</translation>
    </message>
    <message>
      <source>datareq.erase_title</source>
      <translation>Erase customer data</translation>
    </message>
    <message>
      <source>datareq.erased</source>
      <translation>Customer data erased ({at}).</translation>
    </message>
    <message>
      <source>datareq.even_with_kasbon</source>
      <translation>Erase even with kasbon owed</translation>
    </message>
    <message>
      <source>datareq.export_json</source>
      <translation>Export JSON…</translation>
    </message>
    <message>
      <source>datareq.export_pdf</source>
      <translation>Export PDF…</translation>
    </message>
    <message>
      <source>datareq.exported</source>
      <translation>Copy saved to {path} ({sales} purchases, {messages} messages).</translation>
    </message>
    <message>
      <source>datareq.exporting</source>
      <translation>Preparing the copy…</translation>
    </message>
    <message>
      <source>datareq.find</source>
      <translation>Find</translation>
    </message>
    <message>
      <source>datareq.found</source>
      <translation>{count} customers found.</translation>
    </message>
    <message>
      <source>datareq.granted</source>
      <translation>Given</translation>
    </message>
    <message>
      <source>datareq.history</source>
      <translation>Marketing consent history</translation>
    </message>
    <message>
      <source>datareq.lang.en</source>
      <translation>English</translation>
    </message>
    <message>
      <source>datareq.lang.id</source>
      <translation>Bahasa Indonesia</translation>
    </message>
    <message>
      <source>datareq.none_found</source>
      <translation>No customer matches.</translation>
    </message>
    <message>
      <source>datareq.note</source>
      <translation>UU PDP: give the copy within 3×24 hours of the request; erasure anonymises the customer, sales and the books stay intact.</translation>
    </message>
    <message>
      <source>datareq.pdf_language</source>
      <translation>PDF language:</translation>
    </message>
    <message>
      <source>datareq.pick</source>
      <translation>Pick a customer in the list.</translation>
    </message>
    <message>
      <source>datareq.save_as</source>
      <translation>Save the copy</translation>
    </message>
    <message>
      <source>datareq.search_hint</source>
      <translation>Customer's name or phone number</translation>
    </message>
    <message>
      <source>datareq.source.cli</source>
      <translation>Command line</translation>
    </message>
    <message>
      <source>datareq.source.erasure</source>
      <translation>Data erasure</translation>
    </message>
    <message>
      <source>datareq.source.import</source>
      <translation>Import</translation>
    </message>
    <message>
      <source>datareq.source.office</source>
      <translation>Back office</translation>
    </message>
    <message>
      <source>datareq.source.stop</source>
      <translation>STOP reply</translation>
    </message>
    <message>
      <source>datareq.source.till</source>
      <translation>Till</translation>
    </message>
    <message>
      <source>datareq.source.unsubscribe</source>
      <translation>Unsubscribe link</translation>
    </message>
    <message>
      <source>datareq.the_customer</source>
      <translation>the customer</translation>
    </message>
    <message>
      <source>datareq.title</source>
      <translation>Customer data requests</translation>
    </message>
    <message>
      <source>datareq.type_something</source>
      <translation>Type a name or a phone number first.</translation>
    </message>
    <message>
      <source>datareq.withdrawn</source>
      <translation>Withdrawn</translation>
    </message>
    <message>
      <source>datareq.yes</source>
      <translation>yes</translation>
    </message>
    <message>
      <source>demo</source>
      <translation>DEMO</translation>
    </message>
    <message>
      <source>disc.amount</source>
      <translation>Rupiah Rp (F6)</translation>
    </message>
    <message>
      <source>disc.bad</source>
      <translation>Discount: {reason}</translation>
    </message>
    <message>
      <source>disc.cancel</source>
      <translation>Cancel (Esc)</translation>
    </message>
    <message>
      <source>disc.needs</source>
      <translation>Above your limit ({limit}%): needs a {role} PIN.</translation>
    </message>
    <message>
      <source>disc.ok</source>
      <translation>Apply (Enter)</translation>
    </message>
    <message>
      <source>disc.percent</source>
      <translation>Percent % (F5)</translation>
    </message>
    <message>
      <source>disc.preview</source>
      <translation>{percent}% = {amount}</translation>
    </message>
    <message>
      <source>disc.target_line</source>
      <translation>Discount on {name} ({base})</translation>
    </message>
    <message>
      <source>disc.target_order</source>
      <translation>Discount on the whole order ({base})</translation>
    </message>
    <message>
      <source>disc.title</source>
      <translation>Discount</translation>
    </message>
    <message>
      <source>disc.value</source>
      <translation>Discount</translation>
    </message>
    <message>
      <source>disc.within</source>
      <translation>Within your limit ({limit}%).</translation>
    </message>
    <message>
      <source>disc.zero</source>
      <translation>0 = remove the discount</translation>
    </message>
    <message>
      <source>error.bug</source>
      <translation>Something went wrong in the program. The details are in the log; try again.</translation>
    </message>
    <message>
      <source>grid.all</source>
      <translation>◀ All categories</translation>
    </message>
    <message>
      <source>grid.empty</source>
      <translation>No categories yet.</translation>
    </message>
    <message>
      <source>grid.loading</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>grid.tile</source>
      <translation>{name}
{price}</translation>
    </message>
    <message>
      <source>held.cancel</source>
      <translation>Cancel (Esc)</translation>
    </message>
    <message>
      <source>held.hold_ok</source>
      <translation>Hold (Enter)</translation>
    </message>
    <message>
      <source>held.hold_title</source>
      <translation>Hold the cart (F8)</translation>
    </message>
    <message>
      <source>held.label</source>
      <translation>Cart name (e.g. the buyer's name)</translation>
    </message>
    <message>
      <source>held.price_changed</source>
      <translation>Price changed — {name}: {old} → {new}</translation>
    </message>
    <message>
      <source>held.report_ok</source>
      <translation>Understood (Enter)</translation>
    </message>
    <message>
      <source>held.report_title</source>
      <translation>Cart resumed: {label}</translation>
    </message>
    <message>
      <source>held.resume_ok</source>
      <translation>Resume (Enter)</translation>
    </message>
    <message>
      <source>held.resume_title</source>
      <translation>Held carts (⇧F8)</translation>
    </message>
    <message>
      <source>held.row</source>
      <translation>{label} — {lines} lines · {who} · {time}</translation>
    </message>
    <message>
      <source>held.unavailable</source>
      <translation>No longer sold, left out — {name} ({qty})</translation>
    </message>
    <message>
      <source>import.close</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>import.col.field</source>
      <translation>Field</translation>
    </message>
    <message>
      <source>import.col.line</source>
      <translation>Line</translation>
    </message>
    <message>
      <source>import.col.message</source>
      <translation>Problem</translation>
    </message>
    <message>
      <source>import.ok</source>
      <translation>Import done: {created} new product(s), {updated} updated.</translation>
    </message>
    <message>
      <source>import.pick</source>
      <translation>Choose a catalogue CSV file</translation>
    </message>
    <message>
      <source>import.rejected</source>
      <translation>{n} line(s) with problems: nothing was imported. Fix the file and import it again.</translation>
    </message>
    <message>
      <source>import.title</source>
      <translation>Catalogue CSV import</translation>
    </message>
    <message>
      <source>lang.switch</source>
      <translation>Bahasa Indonesia</translation>
    </message>
    <message>
      <source>login.checking</source>
      <translation>Checking PIN…</translation>
    </message>
    <message>
      <source>login.clear</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>login.locked_suffix</source>
      <translation> (locked)</translation>
    </message>
    <message>
      <source>login.ok</source>
      <translation>Log in (Enter)</translation>
    </message>
    <message>
      <source>login.pick_user</source>
      <translation>Choose a user first.</translation>
    </message>
    <message>
      <source>login.pin</source>
      <translation>PIN</translation>
    </message>
    <message>
      <source>login.pin_needed</source>
      <translation>Enter the PIN.</translation>
    </message>
    <message>
      <source>login.title</source>
      <translation>Log in</translation>
    </message>
    <message>
      <source>login.user</source>
      <translation>User</translation>
    </message>
    <message>
      <source>loyalty.badge</source>
      <translation>{tier} · {points} points ({value})</translation>
    </message>
    <message>
      <source>loyalty.basis.points</source>
      <translation>Points over 12 months</translation>
    </message>
    <message>
      <source>loyalty.basis.spend</source>
      <translation>Spend (Rp) over 12 months</translation>
    </message>
    <message>
      <source>loyalty.col.created_at</source>
      <translation>Time</translation>
    </message>
    <message>
      <source>loyalty.col.expires_at</source>
      <translation>Expires</translation>
    </message>
    <message>
      <source>loyalty.col.kind</source>
      <translation>Kind</translation>
    </message>
    <message>
      <source>loyalty.col.points</source>
      <translation>Points</translation>
    </message>
    <message>
      <source>loyalty.col.reason</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>loyalty.col.spend</source>
      <translation>Spend</translation>
    </message>
    <message>
      <source>loyalty.col.value</source>
      <translation>Value</translation>
    </message>
    <message>
      <source>loyalty.field.enabled</source>
      <translation>Points programme on</translation>
    </message>
    <message>
      <source>loyalty.field.expiry_months</source>
      <translation>Points lapse after (months, 0 = never)</translation>
    </message>
    <message>
      <source>loyalty.field.floor</source>
      <translation>Minimum spend (Rp)</translation>
    </message>
    <message>
      <source>loyalty.field.point_value</source>
      <translation>Value of a point (Rp)</translation>
    </message>
    <message>
      <source>loyalty.field.points_per_step</source>
      <translation>Points per step</translation>
    </message>
    <message>
      <source>loyalty.field.same_sale</source>
      <translation>Earn and redeem in the same sale</translation>
    </message>
    <message>
      <source>loyalty.field.step</source>
      <translation>Spend step (Rp)</translation>
    </message>
    <message>
      <source>loyalty.field.tier_basis</source>
      <translation>Tiers by</translation>
    </message>
    <message>
      <source>loyalty.field.tiers</source>
      <translation>Member tiers</translation>
    </message>
    <message>
      <source>loyalty.kind.adjust</source>
      <translation>Adjusted</translation>
    </message>
    <message>
      <source>loyalty.kind.earn</source>
      <translation>Earned</translation>
    </message>
    <message>
      <source>loyalty.kind.expire</source>
      <translation>Expired</translation>
    </message>
    <message>
      <source>loyalty.kind.redeem</source>
      <translation>Redeemed</translation>
    </message>
    <message>
      <source>loyalty.kind.refund</source>
      <translation>Refund</translation>
    </message>
    <message>
      <source>loyalty.office.balance</source>
      <translation>{points} points ({value}) · {tier}</translation>
    </message>
    <message>
      <source>loyalty.office.customer</source>
      <translation>Customer id</translation>
    </message>
    <message>
      <source>loyalty.office.find</source>
      <translation>Search</translation>
    </message>
    <message>
      <source>loyalty.office.fix</source>
      <translation>Not saved: check the field marked in red.</translation>
    </message>
    <message>
      <source>loyalty.office.no_phone</source>
      <translation>no phone</translation>
    </message>
    <message>
      <source>loyalty.office.none</source>
      <translation>No customer matches.</translation>
    </message>
    <message>
      <source>loyalty.office.pick</source>
      <translation>Search and choose a customer to see their points and history.</translation>
    </message>
    <message>
      <source>loyalty.office.points</source>
      <translation>{points} points</translation>
    </message>
    <message>
      <source>loyalty.office.save</source>
      <translation>Save settings</translation>
    </message>
    <message>
      <source>loyalty.office.saved</source>
      <translation>Points settings saved.</translation>
    </message>
    <message>
      <source>loyalty.office.search</source>
      <translation>Search a customer's name or phone number</translation>
    </message>
    <message>
      <source>loyalty.office.searching</source>
      <translation>Searching…</translation>
    </message>
    <message>
      <source>loyalty.office.settings</source>
      <translation>Points settings</translation>
    </message>
    <message>
      <source>loyalty.office.show</source>
      <translation>Show points history</translation>
    </message>
    <message>
      <source>loyalty.office.tab_members</source>
      <translation>Members</translation>
    </message>
    <message>
      <source>loyalty.office.tab_settings</source>
      <translation>Points settings</translation>
    </message>
    <message>
      <source>loyalty.office.title</source>
      <translation>Points &amp; members</translation>
    </message>
    <message>
      <source>loyalty.redeem.ask</source>
      <translation>How many points pay? (at most {most})</translation>
    </message>
    <message>
      <source>loyalty.redeem.balance</source>
      <translation>{tier} member: {points} points, worth {value}</translation>
    </message>
    <message>
      <source>loyalty.redeem.button</source>
      <translation>Redeem points</translation>
    </message>
    <message>
      <source>loyalty.redeem.button_points</source>
      <translation>Redeem points (has {points} points)</translation>
    </message>
    <message>
      <source>loyalty.redeem.cancel</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>loyalty.redeem.ok</source>
      <translation>Use points</translation>
    </message>
    <message>
      <source>loyalty.redeem.title</source>
      <translation>Redeem points</translation>
    </message>
    <message>
      <source>loyalty.redeem.value</source>
      <translation>Paid with points: {value} · {left} points left</translation>
    </message>
    <message>
      <source>loyalty.tier.add</source>
      <translation>Add tier</translation>
    </message>
    <message>
      <source>loyalty.tier.code</source>
      <translation>Code</translation>
    </message>
    <message>
      <source>loyalty.tier.multiplier</source>
      <translation>Points multiplier</translation>
    </message>
    <message>
      <source>loyalty.tier.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>loyalty.tier.remove</source>
      <translation>Remove tier</translation>
    </message>
    <message>
      <source>loyalty.tier.threshold_points</source>
      <translation>Points threshold</translation>
    </message>
    <message>
      <source>loyalty.tier.threshold_spend</source>
      <translation>Spend threshold (Rp)</translation>
    </message>
    <message>
      <source>main.damaged</source>
      <translation>Stop selling: the shop's database is damaged. {error}</translation>
    </message>
    <message>
      <source>main.loading</source>
      <translation>Opening the shop…</translation>
    </message>
    <message>
      <source>main.open_failed</source>
      <translation>The shop cannot be opened: {error}</translation>
    </message>
    <message>
      <source>money.method.cash</source>
      <translation>Cash</translation>
    </message>
    <message>
      <source>money.method.edc</source>
      <translation>Card EDC</translation>
    </message>
    <message>
      <source>money.method.gopay</source>
      <translation>GoPay</translation>
    </message>
    <message>
      <source>money.method.kasbon</source>
      <translation>Kasbon</translation>
    </message>
    <message>
      <source>money.method.points</source>
      <translation>Points</translation>
    </message>
    <message>
      <source>money.method.qris</source>
      <translation>QRIS</translation>
    </message>
    <message>
      <source>money.method.shopeepay</source>
      <translation>ShopeePay</translation>
    </message>
    <message>
      <source>money.method.va_bca</source>
      <translation>VA BCA</translation>
    </message>
    <message>
      <source>money.method.va_bni</source>
      <translation>VA BNI</translation>
    </message>
    <message>
      <source>money.method.va_bri</source>
      <translation>VA BRI</translation>
    </message>
    <message>
      <source>money.method.va_permata</source>
      <translation>VA Permata</translation>
    </message>
    <message>
      <source>money.pay.amount</source>
      <translation>Amount / cash given</translation>
    </message>
    <message>
      <source>money.pay.cancel_charge</source>
      <translation>Cancel the charge (Esc)</translation>
    </message>
    <message>
      <source>money.pay.cancelling</source>
      <translation>Cancelling the charge…</translation>
    </message>
    <message>
      <source>money.pay.charging</source>
      <translation>Creating the {method} charge of {amount}…</translation>
    </message>
    <message>
      <source>money.pay.checking</source>
      <translation>Checking the payment connection…</translation>
    </message>
    <message>
      <source>money.pay.ended</source>
      <translation>{method} payment {status}: no sale was made.</translation>
    </message>
    <message>
      <source>money.pay.kasbon_needs_customer</source>
      <translation>Kasbon needs a customer: attach one to the cart first.</translation>
    </message>
    <message>
      <source>money.pay.kasbon_room</source>
      <translation>Kasbon {name}: owes {balance}, limit left {available}</translation>
    </message>
    <message>
      <source>money.pay.leave_paid</source>
      <translation>The customer HAS paid but the sale is not saved. Press Esc again to close: the payment stays on record and shows in the sync panel to be dealt with.</translation>
    </message>
    <message>
      <source>money.pay.method.edc</source>
      <translation>Card EDC (F3)</translation>
    </message>
    <message>
      <source>money.pay.method.gopay</source>
      <translation>GoPay (F6)</translation>
    </message>
    <message>
      <source>money.pay.method.kasbon</source>
      <translation>Kasbon (F4)</translation>
    </message>
    <message>
      <source>money.pay.method.qris</source>
      <translation>QRIS (F5)</translation>
    </message>
    <message>
      <source>money.pay.method.shopeepay</source>
      <translation>ShopeePay (F7)</translation>
    </message>
    <message>
      <source>money.pay.method.va</source>
      <translation>Virtual Account (F8)</translation>
    </message>
    <message>
      <source>money.pay.nothing_left</source>
      <translation>Fully paid: nothing is left to pay.</translation>
    </message>
    <message>
      <source>money.pay.offline.breaker_open</source>
      <translation>QRIS/VA/e-wallet paused: Midtrans failed to answer several times. Take cash or kasbon.</translation>
    </message>
    <message>
      <source>money.pay.offline.error</source>
      <translation>QRIS/VA/e-wallet unavailable: {error}</translation>
    </message>
    <message>
      <source>money.pay.offline.not_configured</source>
      <translation>QRIS/VA/e-wallet unavailable: Midtrans is not set up on this till. Take cash or kasbon.</translation>
    </message>
    <message>
      <source>money.pay.offline.unreachable</source>
      <translation>QRIS/VA/e-wallet unavailable: Midtrans cannot be reached (offline). Take cash or kasbon.</translation>
    </message>
    <message>
      <source>money.pay.one_provider</source>
      <translation>Only one QRIS/VA/e-wallet payment per sale.</translation>
    </message>
    <message>
      <source>money.pay.open_app</source>
      <translation>Customer's {method} app: scan this QR</translation>
    </message>
    <message>
      <source>money.pay.paid_saving</source>
      <translation>Paid — saving the sale…</translation>
    </message>
    <message>
      <source>money.pay.remaining</source>
      <translation>Remaining</translation>
    </message>
    <message>
      <source>money.pay.remove</source>
      <translation>Remove payment (Del)</translation>
    </message>
    <message>
      <source>money.pay.retry_save</source>
      <translation>Save again (Enter)</translation>
    </message>
    <message>
      <source>money.pay.saving</source>
      <translation>Saving the sale…</translation>
    </message>
    <message>
      <source>money.pay.scan_qr</source>
      <translation>Ask the customer to scan this QR ({method} {amount})</translation>
    </message>
    <message>
      <source>money.pay.status.cancelled</source>
      <translation>cancelled</translation>
    </message>
    <message>
      <source>money.pay.status.denied</source>
      <translation>denied</translation>
    </message>
    <message>
      <source>money.pay.status.expired</source>
      <translation>expired</translation>
    </message>
    <message>
      <source>money.pay.status.failed</source>
      <translation>failed</translation>
    </message>
    <message>
      <source>money.pay.status.not_sent</source>
      <translation>not sent</translation>
    </message>
    <message>
      <source>money.pay.status.rejected</source>
      <translation>rejected by Midtrans</translation>
    </message>
    <message>
      <source>money.pay.tenders</source>
      <translation>Non-cash payments</translation>
    </message>
    <message>
      <source>money.pay.title</source>
      <translation>Pay</translation>
    </message>
    <message>
      <source>money.pay.too_much</source>
      <translation>More than what is left to pay ({left}).</translation>
    </message>
    <message>
      <source>money.pay.transfer_va</source>
      <translation>Transfer to {bank} number:</translation>
    </message>
    <message>
      <source>money.pay.waiting</source>
      <translation>Waiting for the payment… time left {time}</translation>
    </message>
    <message>
      <source>money.refund.all</source>
      <translation>All that is left</translation>
    </message>
    <message>
      <source>money.refund.cash</source>
      <translation>Hand back cash from the drawer: {amount}</translation>
    </message>
    <message>
      <source>money.refund.close</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>money.refund.col.amount</source>
      <translation>Estimate</translation>
    </message>
    <message>
      <source>money.refund.col.item</source>
      <translation>Item</translation>
    </message>
    <message>
      <source>money.refund.col.left</source>
      <translation>Refundable</translation>
    </message>
    <message>
      <source>money.refund.col.qty</source>
      <translation>Refund</translation>
    </message>
    <message>
      <source>money.refund.col.sold</source>
      <translation>Sold</translation>
    </message>
    <message>
      <source>money.refund.done</source>
      <translation>Refund {refund} recorded — {amount}, approved by {approver}.</translation>
    </message>
    <message>
      <source>money.refund.find</source>
      <translation>Find receipt (Enter)</translation>
    </message>
    <message>
      <source>money.refund.kasbon</source>
      <translation>Taken off the customer's kasbon: {amount}</translation>
    </message>
    <message>
      <source>money.refund.looking</source>
      <translation>Looking up the receipt…</translation>
    </message>
    <message>
      <source>money.refund.none</source>
      <translation>None</translation>
    </message>
    <message>
      <source>money.refund.not_printed</source>
      <translation>Refund slip not printed: {reason}</translation>
    </message>
    <message>
      <source>money.refund.nothing_chosen</source>
      <translation>Choose how much of which items to refund first.</translation>
    </message>
    <message>
      <source>money.refund.nothing_left</source>
      <translation>Everything on this receipt was already refunded.</translation>
    </message>
    <message>
      <source>money.refund.ok</source>
      <translation>Refund… (needs a supervisor PIN)</translation>
    </message>
    <message>
      <source>money.refund.paid_by</source>
      <translation>Paid by: {methods}</translation>
    </message>
    <message>
      <source>money.refund.print</source>
      <translation>Print the refund slip (F9)</translation>
    </message>
    <message>
      <source>money.refund.printed</source>
      <translation>Refund slip {refund} printed.</translation>
    </message>
    <message>
      <source>money.refund.provider</source>
      <translation>Refunded through Midtrans: {amount} ({jobs} job(s) sent when online)</translation>
    </message>
    <message>
      <source>money.refund.reason</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>money.refund.receipt</source>
      <translation>Receipt number</translation>
    </message>
    <message>
      <source>money.refund.title</source>
      <translation>Refund (Ctrl+R)</translation>
    </message>
    <message>
      <source>money.refund.what</source>
      <translation>Refund {amount} of receipt {receipt}</translation>
    </message>
    <message>
      <source>money.report.by</source>
      <translation>By</translation>
    </message>
    <message>
      <source>money.report.cash_in</source>
      <translation>Cash in</translation>
    </message>
    <message>
      <source>money.report.cash_out</source>
      <translation>Cash out</translation>
    </message>
    <message>
      <source>money.report.closed</source>
      <translation>Closed</translation>
    </message>
    <message>
      <source>money.report.counted</source>
      <translation>Counted cash</translation>
    </message>
    <message>
      <source>money.report.difference</source>
      <translation>Difference</translation>
    </message>
    <message>
      <source>money.report.discount</source>
      <translation>Discounts</translation>
    </message>
    <message>
      <source>money.report.expected</source>
      <translation>Expected cash</translation>
    </message>
    <message>
      <source>money.report.float</source>
      <translation>Float</translation>
    </message>
    <message>
      <source>money.report.kasbon_repaid</source>
      <translation>Kasbon repaid in cash</translation>
    </message>
    <message>
      <source>money.report.methods</source>
      <translation>By payment method</translation>
    </message>
    <message>
      <source>money.report.no_sale</source>
      <translation>Drawer opened, no sale</translation>
    </message>
    <message>
      <source>money.report.opened</source>
      <translation>Opened</translation>
    </message>
    <message>
      <source>money.report.receipts</source>
      <translation>Receipts</translation>
    </message>
    <message>
      <source>money.report.refunds</source>
      <translation>Refunds ({count})</translation>
    </message>
    <message>
      <source>money.report.rounding</source>
      <translation>Rounding</translation>
    </message>
    <message>
      <source>money.report.sales</source>
      <translation>Sales ({count})</translation>
    </message>
    <message>
      <source>money.report.tax</source>
      <translation>VAT (PPN)</translation>
    </message>
    <message>
      <source>money.report.x</source>
      <translation>X REPORT (shift open)</translation>
    </message>
    <message>
      <source>money.report.x_name</source>
      <translation>X report</translation>
    </message>
    <message>
      <source>money.report.z</source>
      <translation>Z REPORT (shift closed)</translation>
    </message>
    <message>
      <source>money.report.z_name</source>
      <translation>Z report</translation>
    </message>
    <message>
      <source>money.shift.amount</source>
      <translation>Amount</translation>
    </message>
    <message>
      <source>money.shift.back</source>
      <translation>Back</translation>
    </message>
    <message>
      <source>money.shift.cash_in</source>
      <translation>Cash in (F3)</translation>
    </message>
    <message>
      <source>money.shift.cash_out</source>
      <translation>Cash out (F4)</translation>
    </message>
    <message>
      <source>money.shift.cash_out_for</source>
      <translation>For</translation>
    </message>
    <message>
      <source>money.shift.cash_out_what</source>
      <translation>Take {amount} out of the drawer (beyond the drawer or the store's limit)</translation>
    </message>
    <message>
      <source>money.shift.close</source>
      <translation>Close the shift — Z report (Enter)</translation>
    </message>
    <message>
      <source>money.shift.coin</source>
      <translation>coin</translation>
    </message>
    <message>
      <source>money.shift.count</source>
      <translation>Count and close the shift (F8)</translation>
    </message>
    <message>
      <source>money.shift.counted</source>
      <translation>Counted</translation>
    </message>
    <message>
      <source>money.shift.difference</source>
      <translation>Difference</translation>
    </message>
    <message>
      <source>money.shift.done</source>
      <translation>Done (Esc)</translation>
    </message>
    <message>
      <source>money.shift.drawings</source>
      <translation>Owner's drawings (personal)</translation>
    </message>
    <message>
      <source>money.shift.expected</source>
      <translation>Expected</translation>
    </message>
    <message>
      <source>money.shift.expense_of</source>
      <translation>Expense: {name}</translation>
    </message>
    <message>
      <source>money.shift.float</source>
      <translation>Float (cash in the drawer)</translation>
    </message>
    <message>
      <source>money.shift.loading</source>
      <translation>Reading the shift…</translation>
    </message>
    <message>
      <source>money.shift.moved_expense</source>
      <translation>{amount} booked as {what}.</translation>
    </message>
    <message>
      <source>money.shift.moved_in</source>
      <translation>Cash in of {amount} recorded.</translation>
    </message>
    <message>
      <source>money.shift.moved_out</source>
      <translation>Cash out of {amount} recorded.</translation>
    </message>
    <message>
      <source>money.shift.none_open</source>
      <translation>No shift is open. Count the float in the drawer, then open the shift.</translation>
    </message>
    <message>
      <source>money.shift.not_printed</source>
      <translation>Report not printed: {reason}</translation>
    </message>
    <message>
      <source>money.shift.note</source>
      <translation>Notes / coins</translation>
    </message>
    <message>
      <source>money.shift.open</source>
      <translation>Open the shift (Enter)</translation>
    </message>
    <message>
      <source>money.shift.opened</source>
      <translation>Shift opened by {name} at {at}, float {float}.</translation>
    </message>
    <message>
      <source>money.shift.print</source>
      <translation>Print (F9)</translation>
    </message>
    <message>
      <source>money.shift.printed</source>
      <translation>Report printed ({printer}).</translation>
    </message>
    <message>
      <source>money.shift.reason</source>
      <translation>Reason</translation>
    </message>
    <message>
      <source>money.shift.title</source>
      <translation>Shift (F10)</translation>
    </message>
    <message>
      <source>money.shift.x</source>
      <translation>X report (F5)</translation>
    </message>
    <message>
      <source>money.till.no_shift</source>
      <translation>No shift is open on this till: press F10 to open one with a float.</translation>
    </message>
    <message>
      <source>money.till.pay</source>
      <translation>Pay (F9)</translation>
    </message>
    <message>
      <source>money.till.refund</source>
      <translation>Refund (Ctrl+R)</translation>
    </message>
    <message>
      <source>money.till.shift</source>
      <translation>Shift (F10)</translation>
    </message>
    <message>
      <source>msg.channel.email</source>
      <translation>Email (F2)</translation>
    </message>
    <message>
      <source>msg.channel.whatsapp</source>
      <translation>WhatsApp (F1)</translation>
    </message>
    <message>
      <source>msg.receipt.close</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>msg.receipt.customer_without</source>
      <translation>Customer {name} has no {what}</translation>
    </message>
    <message>
      <source>msg.receipt.done</source>
      <translation>Done (Esc)</translation>
    </message>
    <message>
      <source>msg.receipt.heading</source>
      <translation>Send receipt {receipt}</translation>
    </message>
    <message>
      <source>msg.receipt.hint.email</source>
      <translation>Email address, e.g. name@example.com</translation>
    </message>
    <message>
      <source>msg.receipt.hint.whatsapp</source>
      <translation>WhatsApp number, e.g. 0812 3456 7890</translation>
    </message>
    <message>
      <source>msg.receipt.how</source>
      <translation>By</translation>
    </message>
    <message>
      <source>msg.receipt.language</source>
      <translation>Receipt language</translation>
    </message>
    <message>
      <source>msg.receipt.no_customer</source>
      <translation>This sale has no customer</translation>
    </message>
    <message>
      <source>msg.receipt.queued</source>
      <translation>Receipt queued for {to}. It goes out when the shop is online.</translation>
    </message>
    <message>
      <source>msg.receipt.send</source>
      <translation>Send (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>msg.receipt.sending</source>
      <translation>Queuing…</translation>
    </message>
    <message>
      <source>msg.receipt.title</source>
      <translation>Send receipt {receipt}</translation>
    </message>
    <message>
      <source>msg.receipt.to_customer</source>
      <translation>Customer: {name} ({to})</translation>
    </message>
    <message>
      <source>msg.receipt.to_customer_loading</source>
      <translation>Customer: looking up…</translation>
    </message>
    <message>
      <source>msg.receipt.to_needed.email</source>
      <translation>Type the email address to send to.</translation>
    </message>
    <message>
      <source>msg.receipt.to_needed.whatsapp</source>
      <translation>Type the WhatsApp number to send to.</translation>
    </message>
    <message>
      <source>msg.receipt.to_other</source>
      <translation>Another number or address</translation>
    </message>
    <message>
      <source>msg.receipt.whom</source>
      <translation>To</translation>
    </message>
    <message>
      <source>msg.what.email</source>
      <translation>email address</translation>
    </message>
    <message>
      <source>msg.what.whatsapp</source>
      <translation>phone number</translation>
    </message>
    <message>
      <source>office.back</source>
      <translation>Back to the till (Ctrl+O)</translation>
    </message>
    <message>
      <source>office.loading</source>
      <translation>Loading…</translation>
    </message>
    <message>
      <source>office.nav.analytics</source>
      <translation>Analytics</translation>
    </message>
    <message>
      <source>office.nav.campaigns</source>
      <translation>Campaigns</translation>
    </message>
    <message>
      <source>office.nav.dashboard</source>
      <translation>Dashboard</translation>
    </message>
    <message>
      <source>office.nav.data_requests</source>
      <translation>Data requests</translation>
    </message>
    <message>
      <source>office.nav.expenses</source>
      <translation>Expenses</translation>
    </message>
    <message>
      <source>office.nav.journal</source>
      <translation>Journal</translation>
    </message>
    <message>
      <source>office.nav.loyalty</source>
      <translation>Points &amp; members</translation>
    </message>
    <message>
      <source>office.nav.payables</source>
      <translation>Payables</translation>
    </message>
    <message>
      <source>office.nav.periods</source>
      <translation>Period close</translation>
    </message>
    <message>
      <source>office.nav.products</source>
      <translation>Products &amp; stock</translation>
    </message>
    <message>
      <source>office.nav.receivables</source>
      <translation>Receivables</translation>
    </message>
    <message>
      <source>office.nav.reorder</source>
      <translation>Reorder stock</translation>
    </message>
    <message>
      <source>office.nav.reports</source>
      <translation>Reports</translation>
    </message>
    <message>
      <source>office.nav.scheduled_emails</source>
      <translation>Scheduled emails</translation>
    </message>
    <message>
      <source>office.nav.segments</source>
      <translation>Customer segments</translation>
    </message>
    <message>
      <source>office.nav.settings</source>
      <translation>Store settings</translation>
    </message>
    <message>
      <source>office.nav.shipments</source>
      <translation>Shipments</translation>
    </message>
    <message>
      <source>office.nav.statements</source>
      <translation>Statements</translation>
    </message>
    <message>
      <source>office.nav.users</source>
      <translation>Users &amp; PINs</translation>
    </message>
    <message>
      <source>office.no</source>
      <translation>no</translation>
    </message>
    <message>
      <source>office.not_allowed</source>
      <translation>The back office is for owners and supervisors; {name} is logged in as {role}.</translation>
    </message>
    <message>
      <source>office.open</source>
      <translation>Back office (Ctrl+O)</translation>
    </message>
    <message>
      <source>office.saved</source>
      <translation>Saved.</translation>
    </message>
    <message>
      <source>office.title</source>
      <translation>Back office</translation>
    </message>
    <message>
      <source>office.user</source>
      <translation>{name} ({role})</translation>
    </message>
    <message>
      <source>office.yes</source>
      <translation>yes</translation>
    </message>
    <message>
      <source>pay.cancel</source>
      <translation>Cancel (Esc)</translation>
    </message>
    <message>
      <source>pay.change</source>
      <translation>Change</translation>
    </message>
    <message>
      <source>pay.confirm</source>
      <translation>Done (Enter)</translation>
    </message>
    <message>
      <source>pay.due</source>
      <translation>Due</translation>
    </message>
    <message>
      <source>pay.exact</source>
      <translation>Exact</translation>
    </message>
    <message>
      <source>pay.given</source>
      <translation>Cash received</translation>
    </message>
    <message>
      <source>pay.short</source>
      <translation>Short by {amount}</translation>
    </message>
    <message>
      <source>pay.title</source>
      <translation>Pay cash</translation>
    </message>
    <message>
      <source>product.active</source>
      <translation>Active (sold at the till)</translation>
    </message>
    <message>
      <source>product.barcodes</source>
      <translation>Barcodes (separated by spaces)</translation>
    </message>
    <message>
      <source>product.cancel</source>
      <translation>Cancel (Esc)</translation>
    </message>
    <message>
      <source>product.category</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>product.cost</source>
      <translation>Unit cost</translation>
    </message>
    <message>
      <source>product.low_stock</source>
      <translation>Reorder point</translation>
    </message>
    <message>
      <source>product.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>product.price</source>
      <translation>Selling price</translation>
    </message>
    <message>
      <source>product.save</source>
      <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
      <source>product.saved</source>
      <translation>Product {sku} saved.</translation>
    </message>
    <message>
      <source>product.sku</source>
      <translation>SKU (product code)</translation>
    </message>
    <message>
      <source>product.tax_class</source>
      <translation>Tax class</translation>
    </message>
    <message>
      <source>product.title_edit</source>
      <translation>Edit product {sku}</translation>
    </message>
    <message>
      <source>product.title_new</source>
      <translation>New product</translation>
    </message>
    <message>
      <source>product.tracks_stock</source>
      <translation>Keep track of this product's stock</translation>
    </message>
    <message>
      <source>product.unit</source>
      <translation>Unit</translation>
    </message>
    <message>
      <source>products.adjust</source>
      <translation>Stock adjustment (Ctrl+J)</translation>
    </message>
    <message>
      <source>products.all_categories</source>
      <translation>All categories</translation>
    </message>
    <message>
      <source>products.col.category</source>
      <translation>Category</translation>
    </message>
    <message>
      <source>products.col.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>products.col.price</source>
      <translation>Price</translation>
    </message>
    <message>
      <source>products.col.reorder</source>
      <translation>Reorder point</translation>
    </message>
    <message>
      <source>products.col.sku</source>
      <translation>SKU</translation>
    </message>
    <message>
      <source>products.col.stock</source>
      <translation>Stock</translation>
    </message>
    <message>
      <source>products.col.tax</source>
      <translation>Tax</translation>
    </message>
    <message>
      <source>products.count</source>
      <translation>Stock count (Ctrl+K)</translation>
    </message>
    <message>
      <source>products.count_more</source>
      <translation>first {n} products — narrow the search</translation>
    </message>
    <message>
      <source>products.count_shown</source>
      <translation>{n} product(s)</translation>
    </message>
    <message>
      <source>products.edit</source>
      <translation>Edit (Ctrl+E)</translation>
    </message>
    <message>
      <source>products.import</source>
      <translation>Import CSV (Ctrl+I)</translation>
    </message>
    <message>
      <source>products.inactive</source>
      <translation>inactive</translation>
    </message>
    <message>
      <source>products.low</source>
      <translation>low</translation>
    </message>
    <message>
      <source>products.low_only</source>
      <translation>Low stock only</translation>
    </message>
    <message>
      <source>products.new</source>
      <translation>New product (Ctrl+N)</translation>
    </message>
    <message>
      <source>products.receive</source>
      <translation>Goods received (Ctrl+R)</translation>
    </message>
    <message>
      <source>products.search</source>
      <translation>Search name, SKU or barcode</translation>
    </message>
    <message>
      <source>products.title</source>
      <translation>Products &amp; stock</translation>
    </message>
    <message>
      <source>promo.applied</source>
      <translation>Promo code {code} applied: {amount} off</translation>
    </message>
    <message>
      <source>promo.apply</source>
      <translation>Apply code</translation>
    </message>
    <message>
      <source>promo.badge</source>
      <translation>Promo code {code}   ·   {amount}</translation>
    </message>
    <message>
      <source>promo.badge_short</source>
      <translation>Promo code {code}   ·   not yet: the order must be at least {min_spend}</translation>
    </message>
    <message>
      <source>promo.button</source>
      <translation>Promo code (Ctrl+P)</translation>
    </message>
    <message>
      <source>promo.cancel</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>promo.checking</source>
      <translation>Checking the code…</translation>
    </message>
    <message>
      <source>promo.current</source>
      <translation>Code on the cart: {code}</translation>
    </message>
    <message>
      <source>promo.detached</source>
      <translation>Customer detached; promo code {code} removed with them</translation>
    </message>
    <message>
      <source>promo.empty</source>
      <translation>Type the code first.</translation>
    </message>
    <message>
      <source>promo.hint</source>
      <translation>Type the customer's promo code. A code is only for the chosen customer (F7), within its dates and its limit of uses.</translation>
    </message>
    <message>
      <source>promo.placeholder</source>
      <translation>e.g. HEMAT10</translation>
    </message>
    <message>
      <source>promo.refused</source>
      <translation>Promo code refused: {reason}</translation>
    </message>
    <message>
      <source>promo.remove</source>
      <translation>Remove code</translation>
    </message>
    <message>
      <source>promo.remove_first</source>
      <translation>Promo code {code} is the order discount: remove the code first (Ctrl+P)</translation>
    </message>
    <message>
      <source>promo.removed</source>
      <translation>Promo code {code} removed</translation>
    </message>
    <message>
      <source>promo.title</source>
      <translation>Promo code</translation>
    </message>
    <message>
      <source>qty.bad</source>
      <translation>Quantity: {reason}</translation>
    </message>
    <message>
      <source>qty.cancel</source>
      <translation>Cancel (Esc)</translation>
    </message>
    <message>
      <source>qty.decimals</source>
      <translation>at most 3 decimals</translation>
    </message>
    <message>
      <source>qty.not_number</source>
      <translation>type a number, e.g. 0.75</translation>
    </message>
    <message>
      <source>qty.ok</source>
      <translation>OK (Enter)</translation>
    </message>
    <message>
      <source>qty.positive</source>
      <translation>must be more than zero</translation>
    </message>
    <message>
      <source>qty.preview</source>
      <translation>{qty} {unit} × {price} = {amount}</translation>
    </message>
    <message>
      <source>qty.prompt_pieces</source>
      <translation>{name}: how many {unit}?</translation>
    </message>
    <message>
      <source>qty.prompt_weighed</source>
      <translation>{name}: how many {unit}? (e.g. 0.75, then Enter)</translation>
    </message>
    <message>
      <source>qty.title</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <source>qty.too_big</source>
      <translation>too large</translation>
    </message>
    <message>
      <source>qty.weight_title</source>
      <translation>Weight / measure</translation>
    </message>
    <message>
      <source>qty.whole</source>
      <translation>must be a whole number for unit {unit}</translation>
    </message>
    <message>
      <source>receipt.cancel</source>
      <translation>Cancel (Esc)</translation>
    </message>
    <message>
      <source>receipt.no_printer</source>
      <translation>No receipt printer set up yet (Store settings → printer).</translation>
    </message>
    <message>
      <source>receipt.no_printer_copy</source>
      <translation>Receipt {receipt} not reprinted: no receipt printer yet. The owner sets one up in Back office → Store settings → Printer; or save it as a PDF (⇧F11).</translation>
    </message>
    <message>
      <source>receipt.none_yet</source>
      <translation>No receipt to reprint yet.</translation>
    </message>
    <message>
      <source>receipt.not_printed</source>
      <translation>Receipt {receipt} not printed: {reason}</translation>
    </message>
    <message>
      <source>receipt.number</source>
      <translation>Receipt number</translation>
    </message>
    <message>
      <source>receipt.number_needed</source>
      <translation>Type a receipt number first.</translation>
    </message>
    <message>
      <source>receipt.pdf</source>
      <translation>Save PDF (F8)</translation>
    </message>
    <message>
      <source>receipt.pdf_filter</source>
      <translation>PDF documents (*.pdf)</translation>
    </message>
    <message>
      <source>receipt.pdf_saved</source>
      <translation>PDF of receipt {receipt} saved: {path}</translation>
    </message>
    <message>
      <source>receipt.printed</source>
      <translation>receipt printed</translation>
    </message>
    <message>
      <source>receipt.printed_copy</source>
      <translation>Copy of receipt {receipt} printed.</translation>
    </message>
    <message>
      <source>receipt.reprint</source>
      <translation>Reprint (Enter)</translation>
    </message>
    <message>
      <source>receipt.reprint_button</source>
      <translation>Reprint (F11)</translation>
    </message>
    <message>
      <source>receipt.reprint_title</source>
      <translation>Reprint a receipt</translation>
    </message>
    <message>
      <source>receive.add_line</source>
      <translation>Add a line</translation>
    </message>
    <message>
      <source>receive.col.code</source>
      <translation>SKU / barcode</translation>
    </message>
    <message>
      <source>receive.col.cost</source>
      <translation>Unit cost</translation>
    </message>
    <message>
      <source>receive.col.qty</source>
      <translation>Quantity</translation>
    </message>
    <message>
      <source>receive.document</source>
      <translation>Invoice / delivery note no.</translation>
    </message>
    <message>
      <source>receive.done</source>
      <translation>Goods received saved: {lines} line(s), total {total}.</translation>
    </message>
    <message>
      <source>receive.paid.bank</source>
      <translation>Bank account</translation>
    </message>
    <message>
      <source>receive.paid.capital</source>
      <translation>Owner's capital</translation>
    </message>
    <message>
      <source>receive.paid.cash</source>
      <translation>Cash drawer</translation>
    </message>
    <message>
      <source>receive.paid.payable</source>
      <translation>Not paid yet (owed to the supplier)</translation>
    </message>
    <message>
      <source>receive.paid_from</source>
      <translation>Paid from</translation>
    </message>
    <message>
      <source>receive.save</source>
      <translation>Save goods received (Ctrl+S)</translation>
    </message>
    <message>
      <source>receive.supplier</source>
      <translation>Supplier</translation>
    </message>
    <message>
      <source>receive.title</source>
      <translation>Goods received</translation>
    </message>
    <message>
      <source>reports.empty</source>
      <translation>Nothing in this period.</translation>
    </message>
    <message>
      <source>reports.export.csv</source>
      <translation>Export CSV</translation>
    </message>
    <message>
      <source>reports.export.html</source>
      <translation>Export HTML</translation>
    </message>
    <message>
      <source>reports.export.pdf</source>
      <translation>Export PDF</translation>
    </message>
    <message>
      <source>reports.exported</source>
      <translation>Saved: {path}</translation>
    </message>
    <message>
      <source>reports.exporting</source>
      <translation>Exporting…</translation>
    </message>
    <message>
      <source>reports.from</source>
      <translation>From</translation>
    </message>
    <message>
      <source>reports.kind</source>
      <translation>Report</translation>
    </message>
    <message>
      <source>reports.month</source>
      <translation>This month</translation>
    </message>
    <message>
      <source>reports.now_note</source>
      <translation>This report shows things as they are now: the dates are not used.</translation>
    </message>
    <message>
      <source>reports.save_as</source>
      <translation>Save the report as</translation>
    </message>
    <message>
      <source>reports.show</source>
      <translation>Show (F5)</translation>
    </message>
    <message>
      <source>reports.title</source>
      <translation>Reports</translation>
    </message>
    <message>
      <source>reports.to</source>
      <translation>To</translation>
    </message>
    <message>
      <source>reports.today</source>
      <translation>Today</translation>
    </message>
    <message>
      <source>reports.total</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>reports.week</source>
      <translation>Last 7 days</translation>
    </message>
    <message>
      <source>role.cashier</source>
      <translation>cashier</translation>
    </message>
    <message>
      <source>role.owner</source>
      <translation>owner</translation>
    </message>
    <message>
      <source>role.supervisor</source>
      <translation>supervisor</translation>
    </message>
    <message>
      <source>segments.col.customers</source>
      <translation>Customers</translation>
    </message>
    <message>
      <source>segments.col.segment</source>
      <translation>Segment</translation>
    </message>
    <message>
      <source>segments.col.spend</source>
      <translation>12-month spend</translation>
    </message>
    <message>
      <source>segments.col.with_consent</source>
      <translation>Consented</translation>
    </message>
    <message>
      <source>segments.computed</source>
      <translation>Computed {when}</translation>
    </message>
    <message>
      <source>segments.never</source>
      <translation>Never computed: press Recompute.</translation>
    </message>
    <message>
      <source>segments.recompute</source>
      <translation>Recompute now</translation>
    </message>
    <message>
      <source>segments.recomputed</source>
      <translation>{n} customers recomputed.</translation>
    </message>
    <message>
      <source>segments.rule</source>
      <translation>Fixed scores for a small shop: R from days since the last purchase (≤14 days = 3, ≤45 = 2), F from purchases in 12 months (≥6 = 3, ≥2 = 2), M from 12-month spend (≥ Rp 1,000,000 = 3, ≥ Rp 250,000 = 2). Thresholds are the segments.* settings. Recomputed nightly.</translation>
    </message>
    <message>
      <source>segments.title</source>
      <translation>Customer segments (RFM)</translation>
    </message>
    <message>
      <source>settings.address</source>
      <translation>Address</translation>
    </message>
    <message>
      <source>settings.cred.central_dsn</source>
      <translation>Central server (DSN)</translation>
    </message>
    <message>
      <source>settings.cred.central_password</source>
      <translation>Central server password</translation>
    </message>
    <message>
      <source>settings.cred.clear</source>
      <translation>Clear</translation>
    </message>
    <message>
      <source>settings.cred.cleared</source>
      <translation>{what} cleared.</translation>
    </message>
    <message>
      <source>settings.cred.midtrans_client_key</source>
      <translation>Midtrans client key</translation>
    </message>
    <message>
      <source>settings.cred.midtrans_server_key</source>
      <translation>Midtrans server key</translation>
    </message>
    <message>
      <source>settings.cred.set</source>
      <translation>set</translation>
    </message>
    <message>
      <source>settings.cred.store</source>
      <translation>Store</translation>
    </message>
    <message>
      <source>settings.cred.stored</source>
      <translation>{what} stored.</translation>
    </message>
    <message>
      <source>settings.cred.unset</source>
      <translation>not set</translation>
    </message>
    <message>
      <source>settings.credentials</source>
      <translation>Keys &amp; passwords</translation>
    </message>
    <message>
      <source>settings.credentials_note</source>
      <translation>Kept in this computer's secret store, never in the database. This screen only shows whether each one is set.</translation>
    </message>
    <message>
      <source>settings.drawer</source>
      <translation>Open the cash drawer on cash sales</translation>
    </message>
    <message>
      <source>settings.kind.file</source>
      <translation>File / device</translation>
    </message>
    <message>
      <source>settings.kind.network</source>
      <translation>Network (LAN/Wi-Fi)</translation>
    </message>
    <message>
      <source>settings.kind.none</source>
      <translation>No printer</translation>
    </message>
    <message>
      <source>settings.kind.serial</source>
      <translation>Serial (COM)</translation>
    </message>
    <message>
      <source>settings.kind.usb</source>
      <translation>USB</translation>
    </message>
    <message>
      <source>settings.lang.en</source>
      <translation>English</translation>
    </message>
    <message>
      <source>settings.lang.id</source>
      <translation>Bahasa Indonesia</translation>
    </message>
    <message>
      <source>settings.language</source>
      <translation>Language</translation>
    </message>
    <message>
      <source>settings.npwp</source>
      <translation>NPWP (tax number)</translation>
    </message>
    <message>
      <source>settings.paper_mm</source>
      <translation>Paper width</translation>
    </message>
    <message>
      <source>settings.pkp</source>
      <translation>VAT-registered (PKP): charges PPN</translation>
    </message>
    <message>
      <source>settings.printer</source>
      <translation>Receipt printer</translation>
    </message>
    <message>
      <source>settings.printer_kind</source>
      <translation>Printer type</translation>
    </message>
    <message>
      <source>settings.printer_target</source>
      <translation>Printer address</translation>
    </message>
    <message>
      <source>settings.printer_target_hint</source>
      <translation>USB: VID:PID, e.g. 0416:5011
Serial: /dev/ttyUSB0 or COM3
Network: IP[:port], e.g. 192.168.1.50:9100
File: a path, e.g. /dev/usb/lp0</translation>
    </message>
    <message>
      <source>settings.receipt</source>
      <translation>Receipt</translation>
    </message>
    <message>
      <source>settings.receipt_footer</source>
      <translation>Receipt footer</translation>
    </message>
    <message>
      <source>settings.receipt_header</source>
      <translation>Receipt header</translation>
    </message>
    <message>
      <source>settings.rounding.down</source>
      <translation>Always down</translation>
    </message>
    <message>
      <source>settings.rounding.nearest</source>
      <translation>To the nearest</translation>
    </message>
    <message>
      <source>settings.rounding_mode</source>
      <translation>Rounding direction</translation>
    </message>
    <message>
      <source>settings.rounding_unit</source>
      <translation>Cash rounding</translation>
    </message>
    <message>
      <source>settings.save</source>
      <translation>Save (Ctrl+S)</translation>
    </message>
    <message>
      <source>settings.saved</source>
      <translation>Settings saved.</translation>
    </message>
    <message>
      <source>settings.store</source>
      <translation>Store</translation>
    </message>
    <message>
      <source>settings.store_name</source>
      <translation>Store name</translation>
    </message>
    <message>
      <source>settings.title</source>
      <translation>Store settings</translation>
    </message>
    <message>
      <source>ship.all</source>
      <translation>All</translation>
    </message>
    <message>
      <source>ship.cancel</source>
      <translation>Cancel shipment</translation>
    </message>
    <message>
      <source>ship.cancel_queued</source>
      <translation>Cancel queued; the courier is asked when the shop is online.</translation>
    </message>
    <message>
      <source>ship.cheapest</source>
      <translation>Cheapest</translation>
    </message>
    <message>
      <source>ship.choice</source>
      <translation>Ships with {service}, {price}</translation>
    </message>
    <message>
      <source>ship.choice_default</source>
      <translation>No price: the shop's default service {courier} {service}</translation>
    </message>
    <message>
      <source>ship.choice_none</source>
      <translation>Choose a courier's price first.</translation>
    </message>
    <message>
      <source>ship.close</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>ship.cod</source>
      <translation>Cash on delivery (COD)</translation>
    </message>
    <message>
      <source>ship.col.cod</source>
      <translation>COD</translation>
    </message>
    <message>
      <source>ship.col.courier</source>
      <translation>Courier</translation>
    </message>
    <message>
      <source>ship.col.etd</source>
      <translation>Estimate</translation>
    </message>
    <message>
      <source>ship.col.mark</source>
      <translation>★</translation>
    </message>
    <message>
      <source>ship.col.price</source>
      <translation>Price</translation>
    </message>
    <message>
      <source>ship.col.service</source>
      <translation>Service</translation>
    </message>
    <message>
      <source>ship.count</source>
      <translation>{n} shipments</translation>
    </message>
    <message>
      <source>ship.create.title</source>
      <translation>Ship a parcel</translation>
    </message>
    <message>
      <source>ship.days</source>
      <translation>{n} days</translation>
    </message>
    <message>
      <source>ship.days_range</source>
      <translation>{lo}–{hi} days</translation>
    </message>
    <message>
      <source>ship.default_description</source>
      <translation>Groceries</translation>
    </message>
    <message>
      <source>ship.destination_needed</source>
      <translation>fill in the postal code, area or destination code</translation>
    </message>
    <message>
      <source>ship.detail</source>
      <translation>Detail</translation>
    </message>
    <message>
      <source>ship.detail_head</source>
      <translation>{receipt} · {courier} {service}</translation>
    </message>
    <message>
      <source>ship.event.note</source>
      <translation>Note</translation>
    </message>
    <message>
      <source>ship.event.provider</source>
      <translation>Courier status</translation>
    </message>
    <message>
      <source>ship.event.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.event.when</source>
      <translation>When</translation>
    </message>
    <message>
      <source>ship.fact.cod</source>
      <translation>COD</translation>
    </message>
    <message>
      <source>ship.fact.error</source>
      <translation>Last error</translation>
    </message>
    <message>
      <source>ship.fact.price</source>
      <translation>Shipping</translation>
    </message>
    <message>
      <source>ship.fact.recipient</source>
      <translation>Recipient</translation>
    </message>
    <message>
      <source>ship.fact.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.fact.volume</source>
      <translation>Volumetric weight</translation>
    </message>
    <message>
      <source>ship.fact.waybill</source>
      <translation>Airway bill</translation>
    </message>
    <message>
      <source>ship.fact.weight</source>
      <translation>Actual weight</translation>
    </message>
    <message>
      <source>ship.fastest</source>
      <translation>Fastest</translation>
    </message>
    <message>
      <source>ship.field.address</source>
      <translation>Address</translation>
    </message>
    <message>
      <source>ship.field.area</source>
      <translation>Area (Biteship)</translation>
    </message>
    <message>
      <source>ship.field.city</source>
      <translation>City/regency</translation>
    </message>
    <message>
      <source>ship.field.code</source>
      <translation>Destination code (JNE/J&amp;T)</translation>
    </message>
    <message>
      <source>ship.field.description</source>
      <translation>Contents</translation>
    </message>
    <message>
      <source>ship.field.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>ship.field.phone</source>
      <translation>Phone</translation>
    </message>
    <message>
      <source>ship.field.postal</source>
      <translation>Postal code</translation>
    </message>
    <message>
      <source>ship.field.receipt</source>
      <translation>Receipt no.</translation>
    </message>
    <message>
      <source>ship.field.service</source>
      <translation>Service</translation>
    </message>
    <message>
      <source>ship.field.size</source>
      <translation>L × W × H</translation>
    </message>
    <message>
      <source>ship.field.value</source>
      <translation>Declared value</translation>
    </message>
    <message>
      <source>ship.field.weight</source>
      <translation>Weight</translation>
    </message>
    <message>
      <source>ship.field_error</source>
      <translation>{field}: {reason}</translation>
    </message>
    <message>
      <source>ship.filter.courier</source>
      <translation>Courier</translation>
    </message>
    <message>
      <source>ship.filter.dates</source>
      <translation>Dates</translation>
    </message>
    <message>
      <source>ship.filter.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.filter.text</source>
      <translation>Receipt no., recipient or airway bill</translation>
    </message>
    <message>
      <source>ship.find</source>
      <translation>Find receipt</translation>
    </message>
    <message>
      <source>ship.list.cod</source>
      <translation>COD</translation>
    </message>
    <message>
      <source>ship.list.courier</source>
      <translation>Courier</translation>
    </message>
    <message>
      <source>ship.list.created</source>
      <translation>Created</translation>
    </message>
    <message>
      <source>ship.list.price</source>
      <translation>Shipping</translation>
    </message>
    <message>
      <source>ship.list.receipt</source>
      <translation>Receipt</translation>
    </message>
    <message>
      <source>ship.list.recipient</source>
      <translation>Recipient</translation>
    </message>
    <message>
      <source>ship.list.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.list.waybill</source>
      <translation>Airway bill</translation>
    </message>
    <message>
      <source>ship.new</source>
      <translation>New shipment</translation>
    </message>
    <message>
      <source>ship.no_rates</source>
      <translation>No courier gave a price.</translation>
    </message>
    <message>
      <source>ship.no_waybill</source>
      <translation>not yet</translation>
    </message>
    <message>
      <source>ship.note_hint</source>
      <translation>Note for the courier (optional)</translation>
    </message>
    <message>
      <source>ship.on_sale</source>
      <translation>Parcel: {courier} {service} {waybill} · {status}</translation>
    </message>
    <message>
      <source>ship.parcel</source>
      <translation>Parcel</translation>
    </message>
    <message>
      <source>ship.pick_one</source>
      <translation>Choose a shipment in the list.</translation>
    </message>
    <message>
      <source>ship.prices</source>
      <translation>Courier prices</translation>
    </message>
    <message>
      <source>ship.quoted_final</source>
      <translation>quoted {quoted} · final {final}</translation>
    </message>
    <message>
      <source>ship.rates</source>
      <translation>Compare prices (F5)</translation>
    </message>
    <message>
      <source>ship.rates_again</source>
      <translation>The parcel or destination changed: compare prices again.</translation>
    </message>
    <message>
      <source>ship.rates_asking</source>
      <translation>Asking the couriers…</translation>
    </message>
    <message>
      <source>ship.rates_failed</source>
      <translation>Prices could not be asked: {reason}</translation>
    </message>
    <message>
      <source>ship.reason_hint</source>
      <translation>Reason for cancelling</translation>
    </message>
    <message>
      <source>ship.reason_needed</source>
      <translation>Write why it is cancelled.</translation>
    </message>
    <message>
      <source>ship.receipt_hint</source>
      <translation>Receipt no., e.g. TOKO1-K1-000123</translation>
    </message>
    <message>
      <source>ship.receipt_needed</source>
      <translation>Type the sale's receipt number.</translation>
    </message>
    <message>
      <source>ship.recipient</source>
      <translation>Recipient</translation>
    </message>
    <message>
      <source>ship.sale</source>
      <translation>Receipt {receipt} · {amount}</translation>
    </message>
    <message>
      <source>ship.search</source>
      <translation>Search</translation>
    </message>
    <message>
      <source>ship.send</source>
      <translation>Ship (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>ship.sending</source>
      <translation>Saving the shipment…</translation>
    </message>
    <message>
      <source>ship.status.allocated</source>
      <translation>Courier assigned</translation>
    </message>
    <message>
      <source>ship.status.cancelled</source>
      <translation>Cancelled</translation>
    </message>
    <message>
      <source>ship.status.created</source>
      <translation>Created</translation>
    </message>
    <message>
      <source>ship.status.delivered</source>
      <translation>Delivered</translation>
    </message>
    <message>
      <source>ship.status.failed</source>
      <translation>Failed</translation>
    </message>
    <message>
      <source>ship.status.in_transit</source>
      <translation>In transit</translation>
    </message>
    <message>
      <source>ship.status.on_hold</source>
      <translation>On hold</translation>
    </message>
    <message>
      <source>ship.status.picked_up</source>
      <translation>Picked up</translation>
    </message>
    <message>
      <source>ship.status.picking_up</source>
      <translation>Picking up</translation>
    </message>
    <message>
      <source>ship.status.queued</source>
      <translation>Queued</translation>
    </message>
    <message>
      <source>ship.status.returned</source>
      <translation>Returned</translation>
    </message>
    <message>
      <source>ship.status.returning</source>
      <translation>Returning</translation>
    </message>
    <message>
      <source>ship.title</source>
      <translation>Shipments</translation>
    </message>
    <message>
      <source>ship.track</source>
      <translation>Track</translation>
    </message>
    <message>
      <source>ship.track_queued</source>
      <translation>The courier is asked for the status when the shop is online.</translation>
    </message>
    <message>
      <source>ship.weights</source>
      <translation>Actual {real} · volumetric {volume} · charged {charged}</translation>
    </message>
    <message>
      <source>sup.cancel</source>
      <translation>Cancel (Esc)</translation>
    </message>
    <message>
      <source>sup.checking</source>
      <translation>Checking PIN…</translation>
    </message>
    <message>
      <source>sup.needs</source>
      <translation>Needs a {role}'s approval.</translation>
    </message>
    <message>
      <source>sup.ok</source>
      <translation>Approve (Enter)</translation>
    </message>
    <message>
      <source>sup.pick_user</source>
      <translation>Choose or type a {role}'s name.</translation>
    </message>
    <message>
      <source>sup.pin</source>
      <translation>PIN</translation>
    </message>
    <message>
      <source>sup.pin_needed</source>
      <translation>Enter the PIN.</translation>
    </message>
    <message>
      <source>sup.title</source>
      <translation>{role} PIN</translation>
    </message>
    <message>
      <source>sup.user</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>sup.what</source>
      <translation>{what}</translation>
    </message>
    <message>
      <source>sync.details</source>
      <translation>Details (Ctrl+Shift+S)</translation>
    </message>
    <message>
      <source>sync.failed</source>
      <translation>Failed: {count}</translation>
    </message>
    <message>
      <source>sync.last_sync</source>
      <translation>Synced: {when}</translation>
    </message>
    <message>
      <source>sync.loading</source>
      <translation>Sync: loading…</translation>
    </message>
    <message>
      <source>sync.never</source>
      <translation>Synced: never</translation>
    </message>
    <message>
      <source>sync.pending</source>
      <translation>To send: {count}</translation>
    </message>
    <message>
      <source>sync.pending_age</source>
      <translation>To send: {count} (oldest {age})</translation>
    </message>
    <message>
      <source>sync.skew</source>
      <translation>⚠ Clock {amount} off central</translation>
    </message>
    <message>
      <source>sync.skew_tip</source>
      <translation>This till's clock is {amount} off the central server: check the PC clock. A clock difference never changes the order of sales, but the times on receipts and reports are wrong.</translation>
    </message>
    <message>
      <source>sync.state.not_connected</source>
      <translation>● Offline (no central server)</translation>
    </message>
    <message>
      <source>sync.state.offline</source>
      <translation>● Offline since {since}</translation>
    </message>
    <message>
      <source>sync.state.offline_now</source>
      <translation>● Offline</translation>
    </message>
    <message>
      <source>sync.state.online</source>
      <translation>● Online</translation>
    </message>
    <message>
      <source>sync.state.refused</source>
      <translation>● Refused by central</translation>
    </message>
    <message>
      <source>sync.state.starting</source>
      <translation>● Connecting…</translation>
    </message>
    <message>
      <source>sync.state.stopped</source>
      <translation>● Sync stopped</translation>
    </message>
    <message>
      <source>sync.tip.not_connected</source>
      <translation>This till is not connected to a central server ({why}). Every sale is kept on this computer.</translation>
    </message>
    <message>
      <source>sync.tip.offline</source>
      <translation>The central server cannot be reached; retrying by itself. Every sale is kept on this computer. Last error: {error}</translation>
    </message>
    <message>
      <source>sync.tip.online</source>
      <translation>Connected to the central server. Sales are sent automatically.</translation>
    </message>
    <message>
      <source>sync.tip.refused</source>
      <translation>The central server refuses this till's data: {why}</translation>
    </message>
    <message>
      <source>sync.tip.starting</source>
      <translation>Checking the connection to the central server…</translation>
    </message>
    <message>
      <source>sync.tip.stopped</source>
      <translation>Sync is not running.</translation>
    </message>
    <message>
      <source>sync.unsent_close</source>
      <translation>{count} items are not sent to the central server or the providers yet. They stay saved on this computer and are sent when the program runs again with a connection. Close now?</translation>
    </message>
    <message>
      <source>sync.unsent_logout</source>
      <translation>{count} items are not sent to the central server or the providers yet. They stay saved and keep being sent while this program is open; do not switch the computer off yet. Log out now?</translation>
    </message>
    <message>
      <source>sync.unsent_logout_local</source>
      <translation>{count} items are waiting to be sent (“To send”), but this till is not connected to a central server. They stay saved on this computer and are sent once it is connected. Log out now?</translation>
    </message>
    <message>
      <source>sync.unsent_no</source>
      <translation>Cancel</translation>
    </message>
    <message>
      <source>sync.unsent_ok</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>sync.unsent_title</source>
      <translation>Not everything is sent yet</translation>
    </message>
    <message>
      <source>sync.unsent_yes_close</source>
      <translation>Close anyway</translation>
    </message>
    <message>
      <source>sync.unsent_yes_logout</source>
      <translation>Log out</translation>
    </message>
    <message>
      <source>sync.unsent_yes_logout_local</source>
      <translation>Log out</translation>
    </message>
    <message>
      <source>syncp.cannot_discard</source>
      <translation>This row cannot be discarded.</translation>
    </message>
    <message>
      <source>syncp.cannot_retry</source>
      <translation>This row cannot be retried.</translation>
    </message>
    <message>
      <source>syncp.close</source>
      <translation>Close (Esc)</translation>
    </message>
    <message>
      <source>syncp.col.attempts</source>
      <translation>Attempts</translation>
    </message>
    <message>
      <source>syncp.col.created</source>
      <translation>Created</translation>
    </message>
    <message>
      <source>syncp.col.error</source>
      <translation>Last error</translation>
    </message>
    <message>
      <source>syncp.col.item</source>
      <translation>Item</translation>
    </message>
    <message>
      <source>syncp.col.next</source>
      <translation>Next attempt</translation>
    </message>
    <message>
      <source>syncp.col.state</source>
      <translation>State</translation>
    </message>
    <message>
      <source>syncp.discard</source>
      <translation>Discard (F8)</translation>
    </message>
    <message>
      <source>syncp.discard_what</source>
      <translation>Discard {what} ({state})</translation>
    </message>
    <message>
      <source>syncp.done</source>
      <translation>Done: {message}</translation>
    </message>
    <message>
      <source>syncp.event.cash.cash_in</source>
      <translation>Cash in (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.cash.cash_out</source>
      <translation>Cash out (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.cash.no_sale</source>
      <translation>Drawer opened without a sale (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.customer.erased</source>
      <translation>Customer data erased (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.customer.upserted</source>
      <translation>Customer details changed (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.goods.received</source>
      <translation>Goods received from a supplier (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.kasbon.repaid</source>
      <translation>Kasbon repayment (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.other</source>
      <translation>Other change (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.product.upserted</source>
      <translation>Product change (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.sale.completed</source>
      <translation>Sale (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.sale.refunded</source>
      <translation>Refund (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.shift.closed</source>
      <translation>Shift closed (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.shift.opened</source>
      <translation>Shift opened (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.stock.adjust</source>
      <translation>Stock adjustment (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.stock.count</source>
      <translation>Stock count (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.stock.waste</source>
      <translation>Damaged/wasted goods (#{n})</translation>
    </message>
    <message>
      <source>syncp.job.cancel</source>
      <translation>Cancel a parcel through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.charge</source>
      <translation>Payment charge through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.create</source>
      <translation>Ship a parcel through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.email</source>
      <translation>Email through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.other</source>
      <translation>{provider} task: {kind}</translation>
    </message>
    <message>
      <source>syncp.job.push</source>
      <translation>Push notification through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.refund</source>
      <translation>Refund through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.sms</source>
      <translation>SMS through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.track</source>
      <translation>Track a parcel through {provider}</translation>
    </message>
    <message>
      <source>syncp.job.whatsapp</source>
      <translation>WhatsApp through {provider}</translation>
    </message>
    <message>
      <source>syncp.not_connected</source>
      <translation>This till is not connected to a central database yet: everything is kept safely here and sent once the till is enrolled (warungin enroll).</translation>
    </message>
    <message>
      <source>syncp.nothing</source>
      <translation>Nothing queued.</translation>
    </message>
    <message>
      <source>syncp.pick</source>
      <translation>Choose a row first.</translation>
    </message>
    <message>
      <source>syncp.refresh</source>
      <translation>Refresh (F6)</translation>
    </message>
    <message>
      <source>syncp.retry</source>
      <translation>Retry (F5)</translation>
    </message>
    <message>
      <source>syncp.retry_what</source>
      <translation>Retry {what}</translation>
    </message>
    <message>
      <source>syncp.state.dead</source>
      <translation>gave up</translation>
    </message>
    <message>
      <source>syncp.state.discarded</source>
      <translation>discarded</translation>
    </message>
    <message>
      <source>syncp.state.failed</source>
      <translation>failed, will retry</translation>
    </message>
    <message>
      <source>syncp.state.in_flight</source>
      <translation>sending</translation>
    </message>
    <message>
      <source>syncp.state.pending</source>
      <translation>waiting</translation>
    </message>
    <message>
      <source>syncp.state.quarantined</source>
      <translation>quarantined</translation>
    </message>
    <message>
      <source>syncp.state.succeeded</source>
      <translation>succeeded</translation>
    </message>
    <message>
      <source>syncp.state.unknown</source>
      <translation>outcome unknown</translation>
    </message>
    <message>
      <source>syncp.tab.central</source>
      <translation>Central server</translation>
    </message>
    <message>
      <source>syncp.tab.couriers</source>
      <translation>Couriers</translation>
    </message>
    <message>
      <source>syncp.tab.email</source>
      <translation>Email</translation>
    </message>
    <message>
      <source>syncp.tab.messaging</source>
      <translation>SMS/WhatsApp</translation>
    </message>
    <message>
      <source>syncp.tab.other</source>
      <translation>Other</translation>
    </message>
    <message>
      <source>syncp.tab.payments</source>
      <translation>Payments</translation>
    </message>
    <message>
      <source>syncp.tab.push</source>
      <translation>Push</translation>
    </message>
    <message>
      <source>syncp.tab_count</source>
      <translation>{name} ({count})</translation>
    </message>
    <message>
      <source>syncp.title</source>
      <translation>Sync status</translation>
    </message>
    <message>
      <source>till.added</source>
      <translation>{name} added</translation>
    </message>
    <message>
      <source>till.cash_due</source>
      <translation>Cash due</translation>
    </message>
    <message>
      <source>till.cashier</source>
      <translation>Cashier: {name} ({role})</translation>
    </message>
    <message>
      <source>till.clear</source>
      <translation>Clear (Esc)</translation>
    </message>
    <message>
      <source>till.cleared</source>
      <translation>Cart cleared.</translation>
    </message>
    <message>
      <source>till.col.item</source>
      <translation>Item</translation>
    </message>
    <message>
      <source>till.col.price</source>
      <translation>Price</translation>
    </message>
    <message>
      <source>till.col.qty</source>
      <translation>Qty</translation>
    </message>
    <message>
      <source>till.col.total</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>till.discount</source>
      <translation>Discount</translation>
    </message>
    <message>
      <source>till.empty_cart</source>
      <translation>The cart is empty: scan an item first.</translation>
    </message>
    <message>
      <source>till.logout</source>
      <translation>Log out (F12)</translation>
    </message>
    <message>
      <source>till.minus</source>
      <translation>− (F5)</translation>
    </message>
    <message>
      <source>till.no_results</source>
      <translation>No results</translation>
    </message>
    <message>
      <source>till.pay_cash</source>
      <translation>Pay cash (F9)</translation>
    </message>
    <message>
      <source>till.plus</source>
      <translation>+ (F6)</translation>
    </message>
    <message>
      <source>till.remove</source>
      <translation>Remove line (Del)</translation>
    </message>
    <message>
      <source>till.rounding</source>
      <translation>Rounding</translation>
    </message>
    <message>
      <source>till.sale_done</source>
      <translation>Sale complete — receipt {receipt}, change {change}</translation>
    </message>
    <message>
      <source>till.saving</source>
      <translation>Saving the sale…</translation>
    </message>
    <message>
      <source>till.scan_placeholder</source>
      <translation>Scan a barcode or type SKU / name, then Enter</translation>
    </message>
    <message>
      <source>till.search</source>
      <translation>Search (F2)</translation>
    </message>
    <message>
      <source>till.send_receipt</source>
      <translation>Send receipt {receipt} (Ctrl+K)</translation>
    </message>
    <message>
      <source>till.ship_parcel</source>
      <translation>Ship parcel (Ctrl+J)</translation>
    </message>
    <message>
      <source>till.subtotal</source>
      <translation>Subtotal</translation>
    </message>
    <message>
      <source>till.tax</source>
      <translation>VAT (PPN)</translation>
    </message>
    <message>
      <source>till.tax_included</source>
      <translation>VAT (PPN, included)</translation>
    </message>
    <message>
      <source>till.total</source>
      <translation>TOTAL</translation>
    </message>
    <message>
      <source>till.unknown</source>
      <translation>Unknown item: {code}</translation>
    </message>
    <message>
      <source>users.add</source>
      <translation>Add a user</translation>
    </message>
    <message>
      <source>users.add_button</source>
      <translation>Add user</translation>
    </message>
    <message>
      <source>users.added</source>
      <translation>User {name} added.</translation>
    </message>
    <message>
      <source>users.change_pin</source>
      <translation>Change PIN</translation>
    </message>
    <message>
      <source>users.change_role</source>
      <translation>Change role</translation>
    </message>
    <message>
      <source>users.col.failed</source>
      <translation>Wrong PINs</translation>
    </message>
    <message>
      <source>users.col.locked</source>
      <translation>Locked</translation>
    </message>
    <message>
      <source>users.col.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>users.col.role</source>
      <translation>Role</translation>
    </message>
    <message>
      <source>users.locked_yes</source>
      <translation>locked</translation>
    </message>
    <message>
      <source>users.name</source>
      <translation>Name</translation>
    </message>
    <message>
      <source>users.new_pin</source>
      <translation>New PIN (4–8 digits)</translation>
    </message>
    <message>
      <source>users.none_selected</source>
      <translation>Choose a user in the list to change them.</translation>
    </message>
    <message>
      <source>users.pin</source>
      <translation>PIN (4–8 digits)</translation>
    </message>
    <message>
      <source>users.pin_changed</source>
      <translation>{name}'s PIN changed.</translation>
    </message>
    <message>
      <source>users.role</source>
      <translation>Role</translation>
    </message>
    <message>
      <source>users.role_changed</source>
      <translation>{name}'s role changed.</translation>
    </message>
    <message>
      <source>users.selected</source>
      <translation>Selected user: {name}</translation>
    </message>
    <message>
      <source>users.title</source>
      <translation>Users &amp; PINs</translation>
    </message>
    <message>
      <source>users.unlock</source>
      <translation>Unlock</translation>
    </message>
    <message>
      <source>users.unlocked</source>
      <translation>{name} unlocked: they can log in again.</translation>
    </message>
  </context>
</TS>
