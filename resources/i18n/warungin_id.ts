<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
  <context>
    <name>warungin</name>
    <message>
      <source>adjust.add</source>
      <translation>Tambah stok</translation>
    </message>
    <message>
      <source>adjust.code</source>
      <translation>SKU / barcode</translation>
    </message>
    <message>
      <source>adjust.done</source>
      <translation>Stok {sku} {change}, sekarang {level}.</translation>
    </message>
    <message>
      <source>adjust.qty</source>
      <translation>Jumlah</translation>
    </message>
    <message>
      <source>adjust.reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <source>adjust.remove</source>
      <translation>Kurangi stok</translation>
    </message>
    <message>
      <source>adjust.save</source>
      <translation>Simpan (Ctrl+S)</translation>
    </message>
    <message>
      <source>adjust.title</source>
      <translation>Penyesuaian stok</translation>
    </message>
    <message>
      <source>adjust.waste</source>
      <translation>Barang rusak / kedaluwarsa (dibuang)</translation>
    </message>
    <message>
      <source>age.days</source>
      <translation>{n} hari</translation>
    </message>
    <message>
      <source>age.hours</source>
      <translation>{n} jam</translation>
    </message>
    <message>
      <source>age.minutes</source>
      <translation>{n} mnt</translation>
    </message>
    <message>
      <source>age.seconds</source>
      <translation>{n} dtk</translation>
    </message>
    <message>
      <source>alerts.channel.email</source>
      <translation>email</translation>
    </message>
    <message>
      <source>alerts.channel.push</source>
      <translation>notifikasi aplikasi</translation>
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
      <translation>{n} hari</translation>
    </message>
    <message>
      <source>alerts.job.campaigns</source>
      <translation>Kampanye terjadwal</translation>
    </message>
    <message>
      <source>alerts.job.daily_summary</source>
      <translation>Ringkasan harian</translation>
    </message>
    <message>
      <source>alerts.job.nightly</source>
      <translation>Tugas malam (poin, tingkat, segmen)</translation>
    </message>
    <message>
      <source>alerts.job.stock_alerts</source>
      <translation>Ringkasan stok menipis</translation>
    </message>
    <message>
      <source>alerts.job.summary_catch_up</source>
      <translation>Susulan ringkasan</translation>
    </message>
    <message>
      <source>alerts.reorder.alerts_title</source>
      <translation>Stok menipis: {n} peringatan terbuka</translation>
    </message>
    <message>
      <source>alerts.reorder.all_sent</source>
      <translation>{n} peringatan terbuka; semuanya sudah dikirim ke pemilik lewat {channel}.</translation>
    </message>
    <message>
      <source>alerts.reorder.col.lead</source>
      <translation>Waktu kirim</translation>
    </message>
    <message>
      <source>alerts.reorder.col.level</source>
      <translation>Stok</translation>
    </message>
    <message>
      <source>alerts.reorder.col.per_day</source>
      <translation>Terjual/hari</translation>
    </message>
    <message>
      <source>alerts.reorder.col.point</source>
      <translation>Titik pesan</translation>
    </message>
    <message>
      <source>alerts.reorder.col.product</source>
      <translation>Produk</translation>
    </message>
    <message>
      <source>alerts.reorder.col.sent</source>
      <translation>Dikirim ke pemilik</translation>
    </message>
    <message>
      <source>alerts.reorder.col.since</source>
      <translation>Sejak</translation>
    </message>
    <message>
      <source>alerts.reorder.col.sku</source>
      <translation>SKU</translation>
    </message>
    <message>
      <source>alerts.reorder.col.suggested</source>
      <translation>Saran pesan</translation>
    </message>
    <message>
      <source>alerts.reorder.col.supplier</source>
      <translation>Pemasok</translation>
    </message>
    <message>
      <source>alerts.reorder.col.threshold</source>
      <translation>Batas</translation>
    </message>
    <message>
      <source>alerts.reorder.list_title</source>
      <translation>Saran pesan: {n} produk</translation>
    </message>
    <message>
      <source>alerts.reorder.no_channel</source>
      <translation>{n} peringatan terbuka. Saluran pemilik belum diatur (Pengaturan → Pesan), jadi peringatan hanya tampil di sini.</translation>
    </message>
    <message>
      <source>alerts.reorder.no_channel_short</source>
      <translation>Saluran pemilik belum diatur: tidak ada yang dikirim.</translation>
    </message>
    <message>
      <source>alerts.reorder.no_supplier</source>
      <translation>belum ada pemasok</translation>
    </message>
    <message>
      <source>alerts.reorder.nothing_to_send</source>
      <translation>Tidak ada peringatan baru untuk dikirim.</translation>
    </message>
    <message>
      <source>alerts.reorder.packs</source>
      <translation>{qty} ({n} × kemasan {pack})</translation>
    </message>
    <message>
      <source>alerts.reorder.pending</source>
      <translation>{n} peringatan terbuka; {pending} belum dikirim ke pemilik lewat {channel}.</translation>
    </message>
    <message>
      <source>alerts.reorder.rule</source>
      <translation>Titik pesan ulang = rata-rata terjual per hari selama {days} hari terakhir (sampai sebelum {until}, retur dikurangi) × waktu kirim pemasok + stok pengaman. Saran pesan = titik pesan ulang − stok sekarang, dibulatkan ke atas ke kemasan utuh.</translation>
    </message>
    <message>
      <source>alerts.reorder.send</source>
      <translation>Kirim ringkasan stok sekarang</translation>
    </message>
    <message>
      <source>alerts.reorder.sent</source>
      <translation>Ringkasan {n} peringatan dikirim ke pemilik lewat {channel}.</translation>
    </message>
    <message>
      <source>alerts.reorder.title</source>
      <translation>Pesan ulang stok</translation>
    </message>
    <message>
      <source>alerts.reorder.waiting</source>
      <translation>menunggu dikirim</translation>
    </message>
    <message>
      <source>alerts.schedule.any_till</source>
      <translation>kasir mana pun (yang lebih dulu mengklaim di pusat)</translation>
    </message>
    <message>
      <source>alerts.schedule.col.day</source>
      <translation>Hari</translation>
    </message>
    <message>
      <source>alerts.schedule.col.job</source>
      <translation>Tugas</translation>
    </message>
    <message>
      <source>alerts.schedule.col.next</source>
      <translation>Berikutnya</translation>
    </message>
    <message>
      <source>alerts.schedule.col.reason</source>
      <translation>Keterangan</translation>
    </message>
    <message>
      <source>alerts.schedule.col.recipient</source>
      <translation>Penerima</translation>
    </message>
    <message>
      <source>alerts.schedule.col.scheduled</source>
      <translation>Dijadwalkan</translation>
    </message>
    <message>
      <source>alerts.schedule.col.state</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>alerts.schedule.col.when</source>
      <translation>Jadwal</translation>
    </message>
    <message>
      <source>alerts.schedule.daily_at</source>
      <translation>setiap hari {at}</translation>
    </message>
    <message>
      <source>alerts.schedule.every</source>
      <translation>setiap {n} menit</translation>
    </message>
    <message>
      <source>alerts.schedule.field.misfire</source>
      <translation>Batas susulan</translation>
    </message>
    <message>
      <source>alerts.schedule.field.next</source>
      <translation>Berikutnya</translation>
    </message>
    <message>
      <source>alerts.schedule.field.recipients</source>
      <translation>Penerima</translation>
    </message>
    <message>
      <source>alerts.schedule.field.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>alerts.schedule.field.till</source>
      <translation>Kasir pengirim</translation>
    </message>
    <message>
      <source>alerts.schedule.field.time</source>
      <translation>Jam tutup</translation>
    </message>
    <message>
      <source>alerts.schedule.field.zone</source>
      <translation>Zona waktu</translation>
    </message>
    <message>
      <source>alerts.schedule.hours</source>
      <translation>{n} jam</translation>
    </message>
    <message>
      <source>alerts.schedule.jobs_title</source>
      <translation>Tugas terjadwal</translation>
    </message>
    <message>
      <source>alerts.schedule.log_title</source>
      <translation>Log email ({n})</translation>
    </message>
    <message>
      <source>alerts.schedule.misfire_rule</source>
      <translation>Bila PC mati saat jam tutup, ringkasan dikirim susulan saat menyala lagi dalam {n} jam; lewat dari itu dicatat terlewat, tidak dikirim. Satu email per toko, hari dan penerima.</translation>
    </message>
    <message>
      <source>alerts.schedule.no_recipients</source>
      <translation>belum ada penerima: tidak ada yang dikirim</translation>
    </message>
    <message>
      <source>alerts.schedule.not_running</source>
      <translation>Penjadwal tidak berjalan di sini; jadwal di bawah dari pengaturan (jalankan program kasir atau 'warungin scheduler run').</translation>
    </message>
    <message>
      <source>alerts.schedule.off</source>
      <translation>Mati</translation>
    </message>
    <message>
      <source>alerts.schedule.on</source>
      <translation>Aktif</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.missed</source>
      <translation>terlewat: PC mati atau tidak bisa mengirim dalam batas susulan</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.no_key</source>
      <translation>kunci data tidak bisa dibaca (keyring)</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.other_till</source>
      <translation>sudah dikirim oleh kasir {till}</translation>
    </message>
    <message>
      <source>alerts.schedule.reason.unreachable</source>
      <translation>pusat tidak terjangkau; dicoba lagi</translation>
    </message>
    <message>
      <source>alerts.schedule.running</source>
      <translation>Penjadwal berjalan di program ini.</translation>
    </message>
    <message>
      <source>alerts.schedule.summary_title</source>
      <translation>Ringkasan harian ke pemilik</translation>
    </message>
    <message>
      <source>alerts.schedule.title</source>
      <translation>Email terjadwal</translation>
    </message>
    <message>
      <source>alerts.state.failed</source>
      <translation>Gagal</translation>
    </message>
    <message>
      <source>alerts.state.queued</source>
      <translation>Menunggu dikirim</translation>
    </message>
    <message>
      <source>alerts.state.sent</source>
      <translation>Terkirim</translation>
    </message>
    <message>
      <source>alerts.state.skipped</source>
      <translation>Dilewati</translation>
    </message>
    <message>
      <source>app.title</source>
      <translation>Warungin — {store}</translation>
    </message>
    <message>
      <source>books.all</source>
      <translation>Semua</translation>
    </message>
    <message>
      <source>books.an.chart</source>
      <translation>Pendapatan {period}</translation>
    </message>
    <message>
      <source>books.an.fig.basket</source>
      <translation>Rata-rata belanja</translation>
    </message>
    <message>
      <source>books.an.fig.change</source>
      <translation>Dibanding sebelumnya</translation>
    </message>
    <message>
      <source>books.an.fig.count</source>
      <translation>Transaksi</translation>
    </message>
    <message>
      <source>books.an.fig.items</source>
      <translation>Barang per belanja</translation>
    </message>
    <message>
      <source>books.an.fig.net</source>
      <translation>Penjualan bersih</translation>
    </message>
    <message>
      <source>books.an.fig.repeat</source>
      <translation>Pelanggan kembali</translation>
    </message>
    <message>
      <source>books.an.last_days</source>
      <translation>{n} hari</translation>
    </message>
    <message>
      <source>books.an.previous</source>
      <translation>Periode sebelumnya {period}: {net} ({diff})</translation>
    </message>
    <message>
      <source>books.an.series.ma28</source>
      <translation>Rata-rata 28 hari</translation>
    </message>
    <message>
      <source>books.an.series.ma7</source>
      <translation>Rata-rata 7 hari</translation>
    </message>
    <message>
      <source>books.an.series.net</source>
      <translation>Bersih per hari</translation>
    </message>
    <message>
      <source>books.an.tab.cashiers</source>
      <translation>Per kasir</translation>
    </message>
    <message>
      <source>books.an.tab.heat</source>
      <translation>Jam ramai</translation>
    </message>
    <message>
      <source>books.an.tab.products</source>
      <translation>Produk teratas &amp; terbawah</translation>
    </message>
    <message>
      <source>books.an.title</source>
      <translation>Analitik</translation>
    </message>
    <message>
      <source>books.cat.add</source>
      <translation>Tambah kategori</translation>
    </message>
    <message>
      <source>books.cat.added</source>
      <translation>Kategori {name} ditambahkan.</translation>
    </message>
    <message>
      <source>books.cat.code</source>
      <translation>Kode</translation>
    </message>
    <message>
      <source>books.cat.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>books.cat.new</source>
      <translation>Kategori baru</translation>
    </message>
    <message>
      <source>books.exp.col.amount</source>
      <translation>Jumlah</translation>
    </message>
    <message>
      <source>books.exp.col.category</source>
      <translation>Kategori</translation>
    </message>
    <message>
      <source>books.exp.col.day</source>
      <translation>Tanggal</translation>
    </message>
    <message>
      <source>books.exp.col.note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <source>books.exp.col.paid_from</source>
      <translation>Dari</translation>
    </message>
    <message>
      <source>books.exp.col.payee</source>
      <translation>Dibayar ke</translation>
    </message>
    <message>
      <source>books.exp.field.amount</source>
      <translation>Jumlah (Rp)</translation>
    </message>
    <message>
      <source>books.exp.field.category</source>
      <translation>Kategori</translation>
    </message>
    <message>
      <source>books.exp.field.due_date</source>
      <translation>Jatuh tempo</translation>
    </message>
    <message>
      <source>books.exp.field.note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <source>books.exp.field.paid_from</source>
      <translation>Dibayar dari</translation>
    </message>
    <message>
      <source>books.exp.field.payee</source>
      <translation>Dibayar ke</translation>
    </message>
    <message>
      <source>books.exp.field.receipt_photo</source>
      <translation>Foto nota</translation>
    </message>
    <message>
      <source>books.exp.field.spent_on</source>
      <translation>Tanggal</translation>
    </message>
    <message>
      <source>books.exp.new</source>
      <translation>Catat pengeluaran</translation>
    </message>
    <message>
      <source>books.exp.payee_hint</source>
      <translation>mis. PLN, Pak Joko (es batu)</translation>
    </message>
    <message>
      <source>books.exp.photo_pick</source>
      <translation>Pilih…</translation>
    </message>
    <message>
      <source>books.exp.save</source>
      <translation>Simpan pengeluaran</translation>
    </message>
    <message>
      <source>books.exp.saved</source>
      <translation>Tersimpan: {amount} untuk {payee}.</translation>
    </message>
    <message>
      <source>books.exp.title</source>
      <translation>Pengeluaran</translation>
    </message>
    <message>
      <source>books.exp.total</source>
      <translation>{n} pengeluaran · {amount}</translation>
    </message>
    <message>
      <source>books.jr.account</source>
      <translation>Akun</translation>
    </message>
    <message>
      <source>books.jr.kind</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <source>books.jr.text_hint</source>
      <translation>Cari memo atau nomor struk</translation>
    </message>
    <message>
      <source>books.jr.title</source>
      <translation>Jurnal</translation>
    </message>
    <message>
      <source>books.paid_from.bank</source>
      <translation>Bank</translation>
    </message>
    <message>
      <source>books.paid_from.drawer</source>
      <translation>Laci kasir</translation>
    </message>
    <message>
      <source>books.paid_from.owed</source>
      <translation>Utang (bayar nanti)</translation>
    </message>
    <message>
      <source>books.pay.amount</source>
      <translation>Jumlah (Rp)</translation>
    </message>
    <message>
      <source>books.pay.chosen</source>
      <translation>{supplier}: sisa {open}</translation>
    </message>
    <message>
      <source>books.pay.col.amount</source>
      <translation>Jumlah</translation>
    </message>
    <message>
      <source>books.pay.col.due</source>
      <translation>Jatuh tempo</translation>
    </message>
    <message>
      <source>books.pay.col.note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <source>books.pay.col.open</source>
      <translation>Sisa</translation>
    </message>
    <message>
      <source>books.pay.col.overdue</source>
      <translation>Terlambat</translation>
    </message>
    <message>
      <source>books.pay.col.paid</source>
      <translation>Dibayar</translation>
    </message>
    <message>
      <source>books.pay.col.source</source>
      <translation>Asal</translation>
    </message>
    <message>
      <source>books.pay.col.supplier</source>
      <translation>Pemasok / penerima</translation>
    </message>
    <message>
      <source>books.pay.days</source>
      <translation>{n} hari</translation>
    </message>
    <message>
      <source>books.pay.from</source>
      <translation>Dibayar dari</translation>
    </message>
    <message>
      <source>books.pay.open_only</source>
      <translation>Hanya yang belum lunas</translation>
    </message>
    <message>
      <source>books.pay.paid</source>
      <translation>{amount} dibayar ke {supplier}; sisa {open}.</translation>
    </message>
    <message>
      <source>books.pay.pay</source>
      <translation>Bayar</translation>
    </message>
    <message>
      <source>books.pay.pay_title</source>
      <translation>Bayar utang</translation>
    </message>
    <message>
      <source>books.pay.pick_one</source>
      <translation>Pilih utang di daftar untuk membayarnya.</translation>
    </message>
    <message>
      <source>books.pay.source.expense</source>
      <translation>Pengeluaran</translation>
    </message>
    <message>
      <source>books.pay.source.goods</source>
      <translation>Barang masuk</translation>
    </message>
    <message>
      <source>books.pay.source.other</source>
      <translation>Lain-lain</translation>
    </message>
    <message>
      <source>books.pay.title</source>
      <translation>Utang</translation>
    </message>
    <message>
      <source>books.pay.totals</source>
      <translation>Sisa utang {open} · terlambat {overdue}</translation>
    </message>
    <message>
      <source>books.pay.whole</source>
      <translation>Lunasi</translation>
    </message>
    <message>
      <source>books.per.act</source>
      <translation>Bulan terpilih</translation>
    </message>
    <message>
      <source>books.per.chosen</source>
      <translation>{period}: {state}</translation>
    </message>
    <message>
      <source>books.per.close</source>
      <translation>Tutup buku bulan ini</translation>
    </message>
    <message>
      <source>books.per.close_caption</source>
      <translation>Tutup</translation>
    </message>
    <message>
      <source>books.per.col.closed</source>
      <translation>Ditutup</translation>
    </message>
    <message>
      <source>books.per.col.late</source>
      <translation>Catatan terlambat</translation>
    </message>
    <message>
      <source>books.per.col.note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <source>books.per.col.period</source>
      <translation>Bulan</translation>
    </message>
    <message>
      <source>books.per.col.ppn_filed</source>
      <translation>SPT PPN dilaporkan</translation>
    </message>
    <message>
      <source>books.per.col.state</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>books.per.done.close</source>
      <translation>Buku {period} ditutup.</translation>
    </message>
    <message>
      <source>books.per.done.lock</source>
      <translation>Buku {period} dikunci.</translation>
    </message>
    <message>
      <source>books.per.done.reopen</source>
      <translation>Buku {period} dibuka lagi.</translation>
    </message>
    <message>
      <source>books.per.explain</source>
      <translation>Menutup buku memindahkan pendapatan dan beban bulan itu ke laba ditahan; sesudahnya hanya supervisor yang dapat mencatat ke bulan itu (tercatat di audit), dan pemilik dapat membukanya lagi dengan alasan. Setelah SPT PPN dilaporkan, kunci bulan itu: tidak ada lagi catatan yang diterima dan bulan itu tidak dapat dibuka lagi. Koreksi dicatat di bulan yang masih terbuka.</translation>
    </message>
    <message>
      <source>books.per.lock</source>
      <translation>Kunci</translation>
    </message>
    <message>
      <source>books.per.lock_caption</source>
      <translation>SPT PPN dilaporkan</translation>
    </message>
    <message>
      <source>books.per.month</source>
      <translation>Bulan</translation>
    </message>
    <message>
      <source>books.per.pick_one</source>
      <translation>Pilih bulan di daftar atau di kotak Bulan.</translation>
    </message>
    <message>
      <source>books.per.reason_hint</source>
      <translation>Alasan membuka lagi</translation>
    </message>
    <message>
      <source>books.per.reopen</source>
      <translation>Buka lagi</translation>
    </message>
    <message>
      <source>books.per.reopen_caption</source>
      <translation>Buka lagi</translation>
    </message>
    <message>
      <source>books.per.state.hard</source>
      <translation>Dikunci</translation>
    </message>
    <message>
      <source>books.per.state.open</source>
      <translation>Terbuka</translation>
    </message>
    <message>
      <source>books.per.state.soft</source>
      <translation>Ditutup</translation>
    </message>
    <message>
      <source>books.per.title</source>
      <translation>Tutup buku</translation>
    </message>
    <message>
      <source>books.period</source>
      <translation>Periode</translation>
    </message>
    <message>
      <source>books.rec.as_of</source>
      <translation>Per tanggal</translation>
    </message>
    <message>
      <source>books.rec.title</source>
      <translation>Piutang</translation>
    </message>
    <message>
      <source>books.scope.as_of</source>
      <translation>per {when}</translation>
    </message>
    <message>
      <source>books.scope.caption</source>
      <translation>Data:</translation>
    </message>
    <message>
      <source>books.scope.central</source>
      <translation>Dari pusat: {tenant}</translation>
    </message>
    <message>
      <source>books.scope.offline</source>
      <translation>Offline: menampilkan data kasir ini saja ({why}).</translation>
    </message>
    <message>
      <source>books.scope.oldest_push</source>
      <translation>kiriman kasir tertua {when}</translation>
    </message>
    <message>
      <source>books.scope.store</source>
      <translation>Satu toko</translation>
    </message>
    <message>
      <source>books.scope.tenant</source>
      <translation>Seluruh toko</translation>
    </message>
    <message>
      <source>books.scope.till</source>
      <translation>Kasir ini</translation>
    </message>
    <message>
      <source>books.show</source>
      <translation>Tampilkan (F5)</translation>
    </message>
    <message>
      <source>books.st.account</source>
      <translation>Akun kas</translation>
    </message>
    <message>
      <source>books.st.export</source>
      <translation>Simpan {fmt}</translation>
    </message>
    <message>
      <source>books.st.exported</source>
      <translation>Tersimpan di {path}</translation>
    </message>
    <message>
      <source>books.st.kind</source>
      <translation>Laporan</translation>
    </message>
    <message>
      <source>books.st.kind.balance-sheet</source>
      <translation>Neraca</translation>
    </message>
    <message>
      <source>books.st.kind.cashbook</source>
      <translation>Buku kas</translation>
    </message>
    <message>
      <source>books.st.kind.pnl</source>
      <translation>Laba rugi</translation>
    </message>
    <message>
      <source>books.st.kind.trial-balance</source>
      <translation>Neraca saldo</translation>
    </message>
    <message>
      <source>books.st.last_month</source>
      <translation>Bulan lalu</translation>
    </message>
    <message>
      <source>books.st.save_as</source>
      <translation>Simpan laporan sebagai</translation>
    </message>
    <message>
      <source>books.st.this_month</source>
      <translation>Bulan ini</translation>
    </message>
    <message>
      <source>books.st.title</source>
      <translation>Laporan keuangan</translation>
    </message>
    <message>
      <source>campaigns.channel.email</source>
      <translation>Email</translation>
    </message>
    <message>
      <source>campaigns.channel.push</source>
      <translation>Notifikasi aplikasi</translation>
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
      <translation>Saluran</translation>
    </message>
    <message>
      <source>campaigns.col.holdout</source>
      <translation>Kontrol</translation>
    </message>
    <message>
      <source>campaigns.col.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>campaigns.col.send</source>
      <translation>Dikirim</translation>
    </message>
    <message>
      <source>campaigns.col.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>campaigns.col.when</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <source>campaigns.compose</source>
      <translation>Buat kampanye</translation>
    </message>
    <message>
      <source>campaigns.count</source>
      <translation>{eligible} bisa dijangkau: {send} dikirimi, {holdout} kelompok kontrol. Tidak ikut: {no_consent} belum setuju promo, {opted_out} berhenti berlangganan, {no_address} tanpa alamat.</translation>
    </message>
    <message>
      <source>campaigns.everyone</source>
      <translation>Semua yang setuju promo</translation>
    </message>
    <message>
      <source>campaigns.field.audience</source>
      <translation>Penerima</translation>
    </message>
    <message>
      <source>campaigns.field.channel</source>
      <translation>Saluran</translation>
    </message>
    <message>
      <source>campaigns.field.cost</source>
      <translation>Biaya (Rp)</translation>
    </message>
    <message>
      <source>campaigns.field.holdout_share</source>
      <translation>Kelompok kontrol (bagian)</translation>
    </message>
    <message>
      <source>campaigns.field.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>campaigns.field.schedule_on</source>
      <translation>Jadwalkan (tanpa ini: draf, kirim manual)</translation>
    </message>
    <message>
      <source>campaigns.field.scheduled_at</source>
      <translation>Waktu kirim</translation>
    </message>
    <message>
      <source>campaigns.field.text</source>
      <translation>Pesan</translation>
    </message>
    <message>
      <source>campaigns.formula</source>
      <translation>Lift = konversi kelompok terkirim − konversi kelompok kontrol (tidak dikirimi). Laba kotor tambahan = (laba kotor per anggota terkirim − per anggota kontrol) × jumlah terkirim. ROI = (laba kotor tambahan − biaya) / biaya. Pendapatan teratribusi diklaim oleh sentuhan terakhir atau kode promo, bukan tambahan.</translation>
    </message>
    <message>
      <source>campaigns.list</source>
      <translation>Kampanye dan hasilnya</translation>
    </message>
    <message>
      <source>campaigns.preview</source>
      <translation>Pratinjau penerima</translation>
    </message>
    <message>
      <source>campaigns.results.attributed</source>
      <translation>Pendapatan teratribusi (klaim, bukan tambahan): {amount} dari {n} penjualan</translation>
    </message>
    <message>
      <source>campaigns.results.groups</source>
      <translation>Terkirim {send} orang, konversi {send_conv}; kontrol {holdout} orang, konversi {holdout_conv}</translation>
    </message>
    <message>
      <source>campaigns.results.incremental</source>
      <translation>Laba kotor tambahan: {amount} (biaya {cost})</translation>
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
      <translation>Jendela atribusi belum tertutup: angka masih bisa berubah.</translation>
    </message>
    <message>
      <source>campaigns.save</source>
      <translation>Simpan kampanye</translation>
    </message>
    <message>
      <source>campaigns.saved</source>
      <translation>Kampanye {name} disimpan.</translation>
    </message>
    <message>
      <source>campaigns.send</source>
      <translation>Kirim sekarang</translation>
    </message>
    <message>
      <source>campaigns.sent</source>
      <translation>{n} pesan diantrekan; {holdout} orang di kelompok kontrol tidak dikirimi.</translation>
    </message>
    <message>
      <source>campaigns.status.cancelled</source>
      <translation>Dibatalkan</translation>
    </message>
    <message>
      <source>campaigns.status.draft</source>
      <translation>Draf</translation>
    </message>
    <message>
      <source>campaigns.status.scheduled</source>
      <translation>Terjadwal</translation>
    </message>
    <message>
      <source>campaigns.status.sent</source>
      <translation>Terkirim</translation>
    </message>
    <message>
      <source>campaigns.title</source>
      <translation>Kampanye promo</translation>
    </message>
    <message>
      <source>cart.busy</source>
      <translation>Tunggu sebentar…</translation>
    </message>
    <message>
      <source>cart.customer</source>
      <translation>Pelanggan
(F7)</translation>
    </message>
    <message>
      <source>cart.customer_attached</source>
      <translation>Pelanggan {name} dipasang ke transaksi.</translation>
    </message>
    <message>
      <source>cart.customer_detached</source>
      <translation>Pelanggan dilepas dari transaksi.</translation>
    </message>
    <message>
      <source>cart.customer_kasbon</source>
      <translation>Kasbon: {balance} · sisa limit {available}</translation>
    </message>
    <message>
      <source>cart.customer_line</source>
      <translation>Pelanggan: {name}</translation>
    </message>
    <message>
      <source>cart.customer_no_kasbon</source>
      <translation>Kasbon: {balance} · tanpa limit kasbon</translation>
    </message>
    <message>
      <source>cart.disc_suffix</source>
      <translation>diskon {amount}</translation>
    </message>
    <message>
      <source>cart.discount_removed</source>
      <translation>Diskon {target} dihapus.</translation>
    </message>
    <message>
      <source>cart.discount_set</source>
      <translation>Diskon {amount} untuk {target}</translation>
    </message>
    <message>
      <source>cart.discount_what</source>
      <translation>Diskon {percent}% untuk {target} (batas Anda {limit}%)</translation>
    </message>
    <message>
      <source>cart.grid_toggle</source>
      <translation>Kategori (Ctrl+G)</translation>
    </message>
    <message>
      <source>cart.held</source>
      <translation>Keranjang ditahan: {label}</translation>
    </message>
    <message>
      <source>cart.hold</source>
      <translation>Tahan
(F8)</translation>
    </message>
    <message>
      <source>cart.hold_default</source>
      <translation>Keranjang {time}</translation>
    </message>
    <message>
      <source>cart.line_discount</source>
      <translation>Diskon baris
(F3)</translation>
    </message>
    <message>
      <source>cart.no_held</source>
      <translation>Tidak ada keranjang yang ditahan.</translation>
    </message>
    <message>
      <source>cart.no_line</source>
      <translation>Pilih baris dulu (pindai barang atau klik baris).</translation>
    </message>
    <message>
      <source>cart.order</source>
      <translation>seluruh belanja</translation>
    </message>
    <message>
      <source>cart.order_discount</source>
      <translation>Diskon total
(⇧F3)</translation>
    </message>
    <message>
      <source>cart.qty</source>
      <translation>Jumlah
(F4)</translation>
    </message>
    <message>
      <source>cart.qty_set</source>
      <translation>{name}: jumlah {qty}</translation>
    </message>
    <message>
      <source>cart.removed</source>
      <translation>{name} dihapus dari keranjang.</translation>
    </message>
    <message>
      <source>cart.resume</source>
      <translation>Lanjutkan
(⇧F8)</translation>
    </message>
    <message>
      <source>cart.resume_busy</source>
      <translation>Keranjang masih berisi: tahan (F8) atau selesaikan dulu.</translation>
    </message>
    <message>
      <source>cart.resumed</source>
      <translation>Keranjang {label} dilanjutkan.</translation>
    </message>
    <message>
      <source>cart.void_cart_what</source>
      <translation>Kosongkan keranjang ({count} baris, {amount})</translation>
    </message>
    <message>
      <source>cart.void_what</source>
      <translation>Hapus {name} dari keranjang</translation>
    </message>
    <message>
      <source>cart.weighed_line</source>
      <translation>{qty} {unit} × {price}</translation>
    </message>
    <message>
      <source>count.counted</source>
      <translation>Jumlah dihitung</translation>
    </message>
    <message>
      <source>count.default_reason</source>
      <translation>Hitung stok</translation>
    </message>
    <message>
      <source>count.reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <source>count.title</source>
      <translation>Hitung stok</translation>
    </message>
    <message>
      <source>cust.attach</source>
      <translation>Pasang (Enter)</translation>
    </message>
    <message>
      <source>cust.cancel</source>
      <translation>Tutup (Esc)</translation>
    </message>
    <message>
      <source>cust.create</source>
      <translation>Simpan dan pasang (Ctrl+S)</translation>
    </message>
    <message>
      <source>cust.detach</source>
      <translation>Lepas pelanggan (⇧F7)</translation>
    </message>
    <message>
      <source>cust.field.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>cust.field.phone</source>
      <translation>No. HP</translation>
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
      <translation> · limit kasbon {limit}</translation>
    </message>
    <message>
      <source>cust.hit_phone</source>
      <translation> · ada HP</translation>
    </message>
    <message>
      <source>cust.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>cust.new</source>
      <translation>Pelanggan baru</translation>
    </message>
    <message>
      <source>cust.none</source>
      <translation>Tidak ditemukan. Buat pelanggan baru di bawah.</translation>
    </message>
    <message>
      <source>cust.phone</source>
      <translation>No. HP (boleh kosong)</translation>
    </message>
    <message>
      <source>cust.saving</source>
      <translation>Menyimpan…</translation>
    </message>
    <message>
      <source>cust.search</source>
      <translation>Cari nama atau nomor HP</translation>
    </message>
    <message>
      <source>cust.search_hint</source>
      <translation>Ketik nama atau nomor HP, lalu Enter</translation>
    </message>
    <message>
      <source>cust.searching</source>
      <translation>Mencari…</translation>
    </message>
    <message>
      <source>cust.title</source>
      <translation>Pelanggan (F7)</translation>
    </message>
    <message>
      <source>dash.average</source>
      <translation>Rata-rata belanja</translation>
    </message>
    <message>
      <source>dash.by_hour</source>
      <translation>Penjualan per jam</translation>
    </message>
    <message>
      <source>dash.col.amount</source>
      <translation>Nilai</translation>
    </message>
    <message>
      <source>dash.col.product</source>
      <translation>Barang</translation>
    </message>
    <message>
      <source>dash.col.qty</source>
      <translation>Terjual</translation>
    </message>
    <message>
      <source>dash.col.reorder</source>
      <translation>Titik pesan ulang</translation>
    </message>
    <message>
      <source>dash.col.stock</source>
      <translation>Stok</translation>
    </message>
    <message>
      <source>dash.day</source>
      <translation>Tanggal</translation>
    </message>
    <message>
      <source>dash.kasbon</source>
      <translation>Kasbon belum lunas</translation>
    </message>
    <message>
      <source>dash.kasbon_customers</source>
      <translation>dari {n} pelanggan</translation>
    </message>
    <message>
      <source>dash.low</source>
      <translation>Stok menipis</translation>
    </message>
    <message>
      <source>dash.low_none</source>
      <translation>Tidak ada stok yang menipis: semua barang di atas batas pesan ulang.</translation>
    </message>
    <message>
      <source>dash.method.cash</source>
      <translation>Tunai</translation>
    </message>
    <message>
      <source>dash.method.edc</source>
      <translation>Kartu EDC</translation>
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
      <translation>Metode pembayaran</translation>
    </message>
    <message>
      <source>dash.no_sales</source>
      <translation>Belum ada penjualan</translation>
    </message>
    <message>
      <source>dash.refresh</source>
      <translation>Muat ulang (F5)</translation>
    </message>
    <message>
      <source>dash.refunds</source>
      <translation>Retur</translation>
    </message>
    <message>
      <source>dash.refunds_count</source>
      <translation>{n} transaksi retur</translation>
    </message>
    <message>
      <source>dash.sales_count</source>
      <translation>Jumlah transaksi</translation>
    </message>
    <message>
      <source>dash.sales_total</source>
      <translation>Penjualan</translation>
    </message>
    <message>
      <source>dash.title</source>
      <translation>Ringkasan penjualan</translation>
    </message>
    <message>
      <source>dash.today</source>
      <translation>Hari ini</translation>
    </message>
    <message>
      <source>dash.top</source>
      <translation>Barang terlaris</translation>
    </message>
    <message>
      <source>datareq.col.consent</source>
      <translation>Persetujuan</translation>
    </message>
    <message>
      <source>datareq.col.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>datareq.col.phone</source>
      <translation>Telepon</translation>
    </message>
    <message>
      <source>datareq.col.source</source>
      <translation>Lewat</translation>
    </message>
    <message>
      <source>datareq.col.time</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <source>datareq.col.who</source>
      <translation>Oleh</translation>
    </message>
    <message>
      <source>datareq.consent_no</source>
      <translation>tidak menerima pemasaran</translation>
    </message>
    <message>
      <source>datareq.consent_yes</source>
      <translation>setuju menerima pemasaran</translation>
    </message>
    <message>
      <source>datareq.customer</source>
      <translation>Pelanggan</translation>
    </message>
    <message>
      <source>datareq.erase</source>
      <translation>Hapus data pelanggan…</translation>
    </message>
    <message>
      <source>datareq.erase_cancelled</source>
      <translation>Penghapusan dibatalkan.</translation>
    </message>
    <message>
      <source>datareq.erase_confirm</source>
      <translation>Hapus data pribadi {name}? Nama, telepon, email, alamat dan alamat pesan dihapus di semua kasir; transaksi tetap tercatat. Tidak bisa dibatalkan.</translation>
    </message>
    <message>
      <source>datareq.erase_title</source>
      <translation>Hapus data pelanggan</translation>
    </message>
    <message>
      <source>datareq.erased</source>
      <translation>Data pelanggan dihapus ({at}).</translation>
    </message>
    <message>
      <source>datareq.even_with_kasbon</source>
      <translation>Hapus walau masih ada kasbon</translation>
    </message>
    <message>
      <source>datareq.export_json</source>
      <translation>Ekspor JSON…</translation>
    </message>
    <message>
      <source>datareq.export_pdf</source>
      <translation>Ekspor PDF…</translation>
    </message>
    <message>
      <source>datareq.exported</source>
      <translation>Salinan data disimpan di {path} ({sales} pembelian, {messages} pesan).</translation>
    </message>
    <message>
      <source>datareq.exporting</source>
      <translation>Menyiapkan salinan data…</translation>
    </message>
    <message>
      <source>datareq.find</source>
      <translation>Cari</translation>
    </message>
    <message>
      <source>datareq.found</source>
      <translation>{count} pelanggan ditemukan.</translation>
    </message>
    <message>
      <source>datareq.granted</source>
      <translation>Diberikan</translation>
    </message>
    <message>
      <source>datareq.history</source>
      <translation>Riwayat persetujuan pemasaran</translation>
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
      <translation>Tidak ada pelanggan yang cocok.</translation>
    </message>
    <message>
      <source>datareq.note</source>
      <translation>UU PDP: salinan data diberikan paling lambat 3×24 jam setelah diminta; penghapusan menganonimkan pelanggan, transaksi dan pembukuan tetap utuh.</translation>
    </message>
    <message>
      <source>datareq.pdf_language</source>
      <translation>Bahasa PDF:</translation>
    </message>
    <message>
      <source>datareq.pick</source>
      <translation>Pilih pelanggan di daftar.</translation>
    </message>
    <message>
      <source>datareq.save_as</source>
      <translation>Simpan salinan data</translation>
    </message>
    <message>
      <source>datareq.search_hint</source>
      <translation>Nama atau nomor telepon pelanggan</translation>
    </message>
    <message>
      <source>datareq.source.cli</source>
      <translation>Perintah</translation>
    </message>
    <message>
      <source>datareq.source.erasure</source>
      <translation>Penghapusan data</translation>
    </message>
    <message>
      <source>datareq.source.import</source>
      <translation>Impor</translation>
    </message>
    <message>
      <source>datareq.source.office</source>
      <translation>Kantor</translation>
    </message>
    <message>
      <source>datareq.source.stop</source>
      <translation>Balasan STOP</translation>
    </message>
    <message>
      <source>datareq.source.till</source>
      <translation>Kasir</translation>
    </message>
    <message>
      <source>datareq.source.unsubscribe</source>
      <translation>Tautan berhenti</translation>
    </message>
    <message>
      <source>datareq.the_customer</source>
      <translation>pelanggan sendiri</translation>
    </message>
    <message>
      <source>datareq.title</source>
      <translation>Permintaan data pelanggan</translation>
    </message>
    <message>
      <source>datareq.type_something</source>
      <translation>Ketik nama atau nomor telepon dulu.</translation>
    </message>
    <message>
      <source>datareq.withdrawn</source>
      <translation>Ditarik</translation>
    </message>
    <message>
      <source>datareq.yes</source>
      <translation>ada</translation>
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
      <translation>Diskon: {reason}</translation>
    </message>
    <message>
      <source>disc.cancel</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <source>disc.needs</source>
      <translation>Di atas batas Anda ({limit}%): perlu PIN {role}.</translation>
    </message>
    <message>
      <source>disc.ok</source>
      <translation>Terapkan (Enter)</translation>
    </message>
    <message>
      <source>disc.percent</source>
      <translation>Persen % (F5)</translation>
    </message>
    <message>
      <source>disc.preview</source>
      <translation>{percent}% = {amount}</translation>
    </message>
    <message>
      <source>disc.target_line</source>
      <translation>Diskon untuk {name} ({base})</translation>
    </message>
    <message>
      <source>disc.target_order</source>
      <translation>Diskon untuk seluruh belanja ({base})</translation>
    </message>
    <message>
      <source>disc.title</source>
      <translation>Diskon</translation>
    </message>
    <message>
      <source>disc.value</source>
      <translation>Besar diskon</translation>
    </message>
    <message>
      <source>disc.within</source>
      <translation>Dalam batas Anda ({limit}%).</translation>
    </message>
    <message>
      <source>disc.zero</source>
      <translation>0 = hapus diskon</translation>
    </message>
    <message>
      <source>error.bug</source>
      <translation>Terjadi kesalahan program. Detailnya tercatat di log; coba lagi.</translation>
    </message>
    <message>
      <source>grid.all</source>
      <translation>◀ Semua kategori</translation>
    </message>
    <message>
      <source>grid.empty</source>
      <translation>Belum ada kategori.</translation>
    </message>
    <message>
      <source>grid.loading</source>
      <translation>Memuat…</translation>
    </message>
    <message>
      <source>grid.tile</source>
      <translation>{name}
{price}</translation>
    </message>
    <message>
      <source>held.cancel</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <source>held.hold_ok</source>
      <translation>Tahan (Enter)</translation>
    </message>
    <message>
      <source>held.hold_title</source>
      <translation>Tahan keranjang (F8)</translation>
    </message>
    <message>
      <source>held.label</source>
      <translation>Nama keranjang (mis. nama pembeli)</translation>
    </message>
    <message>
      <source>held.price_changed</source>
      <translation>Harga berubah — {name}: {old} → {new}</translation>
    </message>
    <message>
      <source>held.report_ok</source>
      <translation>Mengerti (Enter)</translation>
    </message>
    <message>
      <source>held.report_title</source>
      <translation>Keranjang dilanjutkan: {label}</translation>
    </message>
    <message>
      <source>held.resume_ok</source>
      <translation>Lanjutkan (Enter)</translation>
    </message>
    <message>
      <source>held.resume_title</source>
      <translation>Keranjang ditahan (⇧F8)</translation>
    </message>
    <message>
      <source>held.row</source>
      <translation>{label} — {lines} baris · {who} · {time}</translation>
    </message>
    <message>
      <source>held.unavailable</source>
      <translation>Tidak dijual lagi, dikeluarkan — {name} ({qty})</translation>
    </message>
    <message>
      <source>import.close</source>
      <translation>Tutup (Esc)</translation>
    </message>
    <message>
      <source>import.col.field</source>
      <translation>Kolom</translation>
    </message>
    <message>
      <source>import.col.line</source>
      <translation>Baris</translation>
    </message>
    <message>
      <source>import.col.message</source>
      <translation>Masalah</translation>
    </message>
    <message>
      <source>import.ok</source>
      <translation>Impor selesai: {created} barang baru, {updated} diperbarui.</translation>
    </message>
    <message>
      <source>import.pick</source>
      <translation>Pilih file CSV katalog</translation>
    </message>
    <message>
      <source>import.rejected</source>
      <translation>{n} baris bermasalah, tidak ada yang diimpor. Perbaiki file lalu impor lagi.</translation>
    </message>
    <message>
      <source>import.title</source>
      <translation>Impor katalog CSV</translation>
    </message>
    <message>
      <source>lang.switch</source>
      <translation>English</translation>
    </message>
    <message>
      <source>login.checking</source>
      <translation>Memeriksa PIN…</translation>
    </message>
    <message>
      <source>login.clear</source>
      <translation>Hapus</translation>
    </message>
    <message>
      <source>login.locked_suffix</source>
      <translation> (terkunci)</translation>
    </message>
    <message>
      <source>login.ok</source>
      <translation>Masuk (Enter)</translation>
    </message>
    <message>
      <source>login.pick_user</source>
      <translation>Pilih pengguna dulu.</translation>
    </message>
    <message>
      <source>login.pin</source>
      <translation>PIN</translation>
    </message>
    <message>
      <source>login.pin_needed</source>
      <translation>Masukkan PIN.</translation>
    </message>
    <message>
      <source>login.title</source>
      <translation>Masuk</translation>
    </message>
    <message>
      <source>login.user</source>
      <translation>Pengguna</translation>
    </message>
    <message>
      <source>loyalty.badge</source>
      <translation>{tier} · {points} poin ({value})</translation>
    </message>
    <message>
      <source>loyalty.basis.points</source>
      <translation>Poin 12 bulan</translation>
    </message>
    <message>
      <source>loyalty.basis.spend</source>
      <translation>Belanja (Rp) 12 bulan</translation>
    </message>
    <message>
      <source>loyalty.col.created_at</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <source>loyalty.col.expires_at</source>
      <translation>Hangus pada</translation>
    </message>
    <message>
      <source>loyalty.col.kind</source>
      <translation>Jenis</translation>
    </message>
    <message>
      <source>loyalty.col.points</source>
      <translation>Poin</translation>
    </message>
    <message>
      <source>loyalty.col.reason</source>
      <translation>Keterangan</translation>
    </message>
    <message>
      <source>loyalty.col.spend</source>
      <translation>Belanja</translation>
    </message>
    <message>
      <source>loyalty.col.value</source>
      <translation>Nilai</translation>
    </message>
    <message>
      <source>loyalty.field.enabled</source>
      <translation>Program poin aktif</translation>
    </message>
    <message>
      <source>loyalty.field.expiry_months</source>
      <translation>Poin hangus setelah (bulan, 0 = tidak)</translation>
    </message>
    <message>
      <source>loyalty.field.floor</source>
      <translation>Belanja minimum (Rp)</translation>
    </message>
    <message>
      <source>loyalty.field.point_value</source>
      <translation>Nilai 1 poin (Rp)</translation>
    </message>
    <message>
      <source>loyalty.field.points_per_step</source>
      <translation>Poin per kelipatan</translation>
    </message>
    <message>
      <source>loyalty.field.same_sale</source>
      <translation>Boleh dapat dan tukar poin di transaksi yang sama</translation>
    </message>
    <message>
      <source>loyalty.field.step</source>
      <translation>Kelipatan belanja (Rp)</translation>
    </message>
    <message>
      <source>loyalty.field.tier_basis</source>
      <translation>Tingkat member menurut</translation>
    </message>
    <message>
      <source>loyalty.field.tiers</source>
      <translation>Tingkat member</translation>
    </message>
    <message>
      <source>loyalty.kind.adjust</source>
      <translation>Koreksi</translation>
    </message>
    <message>
      <source>loyalty.kind.earn</source>
      <translation>Dapat poin</translation>
    </message>
    <message>
      <source>loyalty.kind.expire</source>
      <translation>Hangus</translation>
    </message>
    <message>
      <source>loyalty.kind.redeem</source>
      <translation>Tukar poin</translation>
    </message>
    <message>
      <source>loyalty.kind.refund</source>
      <translation>Retur</translation>
    </message>
    <message>
      <source>loyalty.office.balance</source>
      <translation>{points} poin ({value}) · {tier}</translation>
    </message>
    <message>
      <source>loyalty.office.customer</source>
      <translation>ID pelanggan</translation>
    </message>
    <message>
      <source>loyalty.office.find</source>
      <translation>Cari</translation>
    </message>
    <message>
      <source>loyalty.office.fix</source>
      <translation>Belum disimpan: periksa isian yang bertanda merah.</translation>
    </message>
    <message>
      <source>loyalty.office.no_phone</source>
      <translation>tanpa HP</translation>
    </message>
    <message>
      <source>loyalty.office.none</source>
      <translation>Tidak ada pelanggan yang cocok.</translation>
    </message>
    <message>
      <source>loyalty.office.pick</source>
      <translation>Cari dan pilih pelanggan untuk melihat poin dan riwayatnya.</translation>
    </message>
    <message>
      <source>loyalty.office.points</source>
      <translation>{points} poin</translation>
    </message>
    <message>
      <source>loyalty.office.save</source>
      <translation>Simpan pengaturan</translation>
    </message>
    <message>
      <source>loyalty.office.saved</source>
      <translation>Pengaturan poin disimpan.</translation>
    </message>
    <message>
      <source>loyalty.office.search</source>
      <translation>Cari nama atau nomor HP pelanggan</translation>
    </message>
    <message>
      <source>loyalty.office.searching</source>
      <translation>Mencari…</translation>
    </message>
    <message>
      <source>loyalty.office.settings</source>
      <translation>Pengaturan poin</translation>
    </message>
    <message>
      <source>loyalty.office.show</source>
      <translation>Lihat riwayat poin</translation>
    </message>
    <message>
      <source>loyalty.office.tab_members</source>
      <translation>Member</translation>
    </message>
    <message>
      <source>loyalty.office.tab_settings</source>
      <translation>Pengaturan poin</translation>
    </message>
    <message>
      <source>loyalty.office.title</source>
      <translation>Poin &amp; member</translation>
    </message>
    <message>
      <source>loyalty.redeem.ask</source>
      <translation>Berapa poin dipakai untuk membayar? (paling banyak {most})</translation>
    </message>
    <message>
      <source>loyalty.redeem.balance</source>
      <translation>Member {tier}: {points} poin, senilai {value}</translation>
    </message>
    <message>
      <source>loyalty.redeem.button</source>
      <translation>Tukar poin</translation>
    </message>
    <message>
      <source>loyalty.redeem.button_points</source>
      <translation>Tukar poin (punya {points} poin)</translation>
    </message>
    <message>
      <source>loyalty.redeem.cancel</source>
      <translation>Batal</translation>
    </message>
    <message>
      <source>loyalty.redeem.ok</source>
      <translation>Pakai poin</translation>
    </message>
    <message>
      <source>loyalty.redeem.title</source>
      <translation>Tukar poin</translation>
    </message>
    <message>
      <source>loyalty.redeem.value</source>
      <translation>Dibayar dengan poin: {value} · sisa {left} poin</translation>
    </message>
    <message>
      <source>loyalty.tier.add</source>
      <translation>Tambah tingkat</translation>
    </message>
    <message>
      <source>loyalty.tier.code</source>
      <translation>Kode</translation>
    </message>
    <message>
      <source>loyalty.tier.multiplier</source>
      <translation>Pengali poin</translation>
    </message>
    <message>
      <source>loyalty.tier.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>loyalty.tier.remove</source>
      <translation>Hapus tingkat</translation>
    </message>
    <message>
      <source>loyalty.tier.threshold_points</source>
      <translation>Batas poin</translation>
    </message>
    <message>
      <source>loyalty.tier.threshold_spend</source>
      <translation>Batas belanja (Rp)</translation>
    </message>
    <message>
      <source>main.damaged</source>
      <translation>Berhenti berjualan: database toko rusak. {error}</translation>
    </message>
    <message>
      <source>main.loading</source>
      <translation>Membuka toko…</translation>
    </message>
    <message>
      <source>main.open_failed</source>
      <translation>Toko tidak bisa dibuka: {error}</translation>
    </message>
    <message>
      <source>money.method.cash</source>
      <translation>Tunai</translation>
    </message>
    <message>
      <source>money.method.edc</source>
      <translation>Kartu EDC</translation>
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
      <translation>Poin</translation>
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
      <translation>Jumlah / uang diterima</translation>
    </message>
    <message>
      <source>money.pay.cancel_charge</source>
      <translation>Batalkan tagihan (Esc)</translation>
    </message>
    <message>
      <source>money.pay.cancelling</source>
      <translation>Membatalkan tagihan…</translation>
    </message>
    <message>
      <source>money.pay.charging</source>
      <translation>Membuat tagihan {method} {amount}…</translation>
    </message>
    <message>
      <source>money.pay.checking</source>
      <translation>Memeriksa koneksi pembayaran…</translation>
    </message>
    <message>
      <source>money.pay.ended</source>
      <translation>Pembayaran {method} {status}: transaksi belum dibuat.</translation>
    </message>
    <message>
      <source>money.pay.kasbon_needs_customer</source>
      <translation>Kasbon butuh pelanggan: pilih pelanggan di keranjang dulu.</translation>
    </message>
    <message>
      <source>money.pay.kasbon_room</source>
      <translation>Kasbon {name}: utang {balance}, sisa limit {available}</translation>
    </message>
    <message>
      <source>money.pay.leave_paid</source>
      <translation>Pelanggan SUDAH membayar tetapi transaksi belum tersimpan. Tekan Esc lagi untuk menutup: pembayaran tetap tercatat dan muncul di panel sinkronisasi untuk ditindaklanjuti.</translation>
    </message>
    <message>
      <source>money.pay.method.edc</source>
      <translation>Kartu EDC (F3)</translation>
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
      <translation>Sudah lunas: tidak ada sisa untuk dibayar.</translation>
    </message>
    <message>
      <source>money.pay.offline.breaker_open</source>
      <translation>QRIS/VA/e-wallet dihentikan sebentar: Midtrans gagal menjawab beberapa kali. Terima tunai atau kasbon.</translation>
    </message>
    <message>
      <source>money.pay.offline.error</source>
      <translation>QRIS/VA/e-wallet tidak tersedia: {error}</translation>
    </message>
    <message>
      <source>money.pay.offline.not_configured</source>
      <translation>QRIS/VA/e-wallet tidak tersedia: Midtrans belum diatur di kasir ini. Terima tunai atau kasbon.</translation>
    </message>
    <message>
      <source>money.pay.offline.unreachable</source>
      <translation>QRIS/VA/e-wallet tidak tersedia: Midtrans tidak bisa dihubungi (offline). Terima tunai atau kasbon.</translation>
    </message>
    <message>
      <source>money.pay.one_provider</source>
      <translation>Hanya satu pembayaran QRIS/VA/e-wallet per transaksi.</translation>
    </message>
    <message>
      <source>money.pay.open_app</source>
      <translation>Buka aplikasi {method} pelanggan: pindai QR ini</translation>
    </message>
    <message>
      <source>money.pay.paid_saving</source>
      <translation>Sudah dibayar — menyimpan transaksi…</translation>
    </message>
    <message>
      <source>money.pay.remaining</source>
      <translation>Sisa</translation>
    </message>
    <message>
      <source>money.pay.remove</source>
      <translation>Hapus pembayaran (Del)</translation>
    </message>
    <message>
      <source>money.pay.retry_save</source>
      <translation>Simpan lagi (Enter)</translation>
    </message>
    <message>
      <source>money.pay.saving</source>
      <translation>Menyimpan transaksi…</translation>
    </message>
    <message>
      <source>money.pay.scan_qr</source>
      <translation>Minta pelanggan memindai QR ini ({method} {amount})</translation>
    </message>
    <message>
      <source>money.pay.status.cancelled</source>
      <translation>dibatalkan</translation>
    </message>
    <message>
      <source>money.pay.status.denied</source>
      <translation>ditolak</translation>
    </message>
    <message>
      <source>money.pay.status.expired</source>
      <translation>kedaluwarsa</translation>
    </message>
    <message>
      <source>money.pay.status.failed</source>
      <translation>gagal</translation>
    </message>
    <message>
      <source>money.pay.status.not_sent</source>
      <translation>tidak terkirim</translation>
    </message>
    <message>
      <source>money.pay.status.rejected</source>
      <translation>ditolak Midtrans</translation>
    </message>
    <message>
      <source>money.pay.tenders</source>
      <translation>Pembayaran non-tunai</translation>
    </message>
    <message>
      <source>money.pay.title</source>
      <translation>Bayar</translation>
    </message>
    <message>
      <source>money.pay.too_much</source>
      <translation>Lebih dari sisa yang harus dibayar ({left}).</translation>
    </message>
    <message>
      <source>money.pay.transfer_va</source>
      <translation>Transfer ke {bank} nomor:</translation>
    </message>
    <message>
      <source>money.pay.waiting</source>
      <translation>Menunggu pembayaran… sisa waktu {time}</translation>
    </message>
    <message>
      <source>money.refund.all</source>
      <translation>Semua sisa</translation>
    </message>
    <message>
      <source>money.refund.cash</source>
      <translation>Kembalikan tunai dari laci: {amount}</translation>
    </message>
    <message>
      <source>money.refund.close</source>
      <translation>Tutup (Esc)</translation>
    </message>
    <message>
      <source>money.refund.col.amount</source>
      <translation>Perkiraan</translation>
    </message>
    <message>
      <source>money.refund.col.item</source>
      <translation>Barang</translation>
    </message>
    <message>
      <source>money.refund.col.left</source>
      <translation>Bisa diretur</translation>
    </message>
    <message>
      <source>money.refund.col.qty</source>
      <translation>Diretur</translation>
    </message>
    <message>
      <source>money.refund.col.sold</source>
      <translation>Terjual</translation>
    </message>
    <message>
      <source>money.refund.done</source>
      <translation>Refund {refund} tercatat — {amount}, disetujui {approver}.</translation>
    </message>
    <message>
      <source>money.refund.find</source>
      <translation>Cari struk (Enter)</translation>
    </message>
    <message>
      <source>money.refund.kasbon</source>
      <translation>Dikurangkan dari kasbon pelanggan: {amount}</translation>
    </message>
    <message>
      <source>money.refund.looking</source>
      <translation>Mencari struk…</translation>
    </message>
    <message>
      <source>money.refund.none</source>
      <translation>Kosongkan</translation>
    </message>
    <message>
      <source>money.refund.not_printed</source>
      <translation>Struk retur tidak tercetak: {reason}</translation>
    </message>
    <message>
      <source>money.refund.nothing_chosen</source>
      <translation>Pilih jumlah barang yang diretur dulu.</translation>
    </message>
    <message>
      <source>money.refund.nothing_left</source>
      <translation>Semua barang di struk ini sudah diretur.</translation>
    </message>
    <message>
      <source>money.refund.ok</source>
      <translation>Refund… (butuh PIN supervisor)</translation>
    </message>
    <message>
      <source>money.refund.paid_by</source>
      <translation>Dibayar dengan: {methods}</translation>
    </message>
    <message>
      <source>money.refund.print</source>
      <translation>Cetak struk retur (F9)</translation>
    </message>
    <message>
      <source>money.refund.printed</source>
      <translation>Struk retur {refund} dicetak.</translation>
    </message>
    <message>
      <source>money.refund.provider</source>
      <translation>Dikembalikan lewat Midtrans: {amount} ({jobs} tugas dikirim saat online)</translation>
    </message>
    <message>
      <source>money.refund.reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <source>money.refund.receipt</source>
      <translation>Nomor struk</translation>
    </message>
    <message>
      <source>money.refund.title</source>
      <translation>Retur / refund (Ctrl+R)</translation>
    </message>
    <message>
      <source>money.refund.what</source>
      <translation>Refund {amount} dari struk {receipt}</translation>
    </message>
    <message>
      <source>money.report.by</source>
      <translation>Oleh</translation>
    </message>
    <message>
      <source>money.report.cash_in</source>
      <translation>Kas masuk</translation>
    </message>
    <message>
      <source>money.report.cash_out</source>
      <translation>Kas keluar</translation>
    </message>
    <message>
      <source>money.report.closed</source>
      <translation>Ditutup</translation>
    </message>
    <message>
      <source>money.report.counted</source>
      <translation>Tunai dihitung</translation>
    </message>
    <message>
      <source>money.report.difference</source>
      <translation>Selisih</translation>
    </message>
    <message>
      <source>money.report.discount</source>
      <translation>Diskon</translation>
    </message>
    <message>
      <source>money.report.expected</source>
      <translation>Tunai seharusnya</translation>
    </message>
    <message>
      <source>money.report.float</source>
      <translation>Modal awal</translation>
    </message>
    <message>
      <source>money.report.kasbon_repaid</source>
      <translation>Bayar kasbon tunai</translation>
    </message>
    <message>
      <source>money.report.methods</source>
      <translation>Per metode bayar</translation>
    </message>
    <message>
      <source>money.report.no_sale</source>
      <translation>Laci dibuka tanpa jual</translation>
    </message>
    <message>
      <source>money.report.opened</source>
      <translation>Dibuka</translation>
    </message>
    <message>
      <source>money.report.receipts</source>
      <translation>Struk</translation>
    </message>
    <message>
      <source>money.report.refunds</source>
      <translation>Retur ({count})</translation>
    </message>
    <message>
      <source>money.report.rounding</source>
      <translation>Pembulatan</translation>
    </message>
    <message>
      <source>money.report.sales</source>
      <translation>Penjualan ({count})</translation>
    </message>
    <message>
      <source>money.report.tax</source>
      <translation>PPN</translation>
    </message>
    <message>
      <source>money.report.x</source>
      <translation>LAPORAN X (belum tutup)</translation>
    </message>
    <message>
      <source>money.report.x_name</source>
      <translation>laporan X</translation>
    </message>
    <message>
      <source>money.report.z</source>
      <translation>LAPORAN Z (tutup shift)</translation>
    </message>
    <message>
      <source>money.report.z_name</source>
      <translation>laporan Z</translation>
    </message>
    <message>
      <source>money.shift.amount</source>
      <translation>Jumlah</translation>
    </message>
    <message>
      <source>money.shift.back</source>
      <translation>Kembali</translation>
    </message>
    <message>
      <source>money.shift.cash_in</source>
      <translation>Kas masuk (F3)</translation>
    </message>
    <message>
      <source>money.shift.cash_out</source>
      <translation>Kas keluar (F4)</translation>
    </message>
    <message>
      <source>money.shift.cash_out_for</source>
      <translation>Untuk</translation>
    </message>
    <message>
      <source>money.shift.cash_out_what</source>
      <translation>Ambil uang {amount} dari laci (melebihi isi laci atau batas toko)</translation>
    </message>
    <message>
      <source>money.shift.close</source>
      <translation>Tutup shift — laporan Z (Enter)</translation>
    </message>
    <message>
      <source>money.shift.coin</source>
      <translation>koin</translation>
    </message>
    <message>
      <source>money.shift.count</source>
      <translation>Hitung uang dan tutup shift (F8)</translation>
    </message>
    <message>
      <source>money.shift.counted</source>
      <translation>Dihitung</translation>
    </message>
    <message>
      <source>money.shift.difference</source>
      <translation>Selisih</translation>
    </message>
    <message>
      <source>money.shift.done</source>
      <translation>Selesai (Esc)</translation>
    </message>
    <message>
      <source>money.shift.drawings</source>
      <translation>Prive pemilik (ambil pribadi)</translation>
    </message>
    <message>
      <source>money.shift.expected</source>
      <translation>Seharusnya</translation>
    </message>
    <message>
      <source>money.shift.expense_of</source>
      <translation>Pengeluaran: {name}</translation>
    </message>
    <message>
      <source>money.shift.float</source>
      <translation>Modal awal (uang di laci)</translation>
    </message>
    <message>
      <source>money.shift.loading</source>
      <translation>Membaca shift…</translation>
    </message>
    <message>
      <source>money.shift.moved_expense</source>
      <translation>{amount} dicatat sebagai {what}.</translation>
    </message>
    <message>
      <source>money.shift.moved_in</source>
      <translation>Kas masuk {amount} tercatat.</translation>
    </message>
    <message>
      <source>money.shift.moved_out</source>
      <translation>Kas keluar {amount} tercatat.</translation>
    </message>
    <message>
      <source>money.shift.none_open</source>
      <translation>Belum ada shift terbuka. Hitung modal awal di laci, lalu buka shift.</translation>
    </message>
    <message>
      <source>money.shift.not_printed</source>
      <translation>Laporan tidak tercetak: {reason}</translation>
    </message>
    <message>
      <source>money.shift.note</source>
      <translation>Lembar / keping</translation>
    </message>
    <message>
      <source>money.shift.open</source>
      <translation>Buka shift (Enter)</translation>
    </message>
    <message>
      <source>money.shift.opened</source>
      <translation>Shift dibuka oleh {name} sejak {at}, modal awal {float}.</translation>
    </message>
    <message>
      <source>money.shift.print</source>
      <translation>Cetak (F9)</translation>
    </message>
    <message>
      <source>money.shift.printed</source>
      <translation>Laporan dicetak ({printer}).</translation>
    </message>
    <message>
      <source>money.shift.reason</source>
      <translation>Alasan</translation>
    </message>
    <message>
      <source>money.shift.title</source>
      <translation>Shift (F10)</translation>
    </message>
    <message>
      <source>money.shift.x</source>
      <translation>Laporan X (F5)</translation>
    </message>
    <message>
      <source>money.till.no_shift</source>
      <translation>Belum ada shift terbuka di kasir ini: tekan F10 untuk membuka shift dengan modal awal.</translation>
    </message>
    <message>
      <source>money.till.pay</source>
      <translation>Bayar (F9)</translation>
    </message>
    <message>
      <source>money.till.refund</source>
      <translation>Retur (Ctrl+R)</translation>
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
      <translation>Tutup (Esc)</translation>
    </message>
    <message>
      <source>msg.receipt.customer_without</source>
      <translation>Pelanggan {name} tidak punya {what}</translation>
    </message>
    <message>
      <source>msg.receipt.done</source>
      <translation>Selesai (Esc)</translation>
    </message>
    <message>
      <source>msg.receipt.heading</source>
      <translation>Kirim struk {receipt}</translation>
    </message>
    <message>
      <source>msg.receipt.hint.email</source>
      <translation>Alamat email, mis. nama@contoh.com</translation>
    </message>
    <message>
      <source>msg.receipt.hint.whatsapp</source>
      <translation>No. WhatsApp, mis. 0812 3456 7890</translation>
    </message>
    <message>
      <source>msg.receipt.how</source>
      <translation>Lewat</translation>
    </message>
    <message>
      <source>msg.receipt.language</source>
      <translation>Bahasa struk</translation>
    </message>
    <message>
      <source>msg.receipt.no_customer</source>
      <translation>Penjualan ini tanpa pelanggan</translation>
    </message>
    <message>
      <source>msg.receipt.queued</source>
      <translation>Struk masuk antrean kirim ke {to}. Terkirim saat toko online.</translation>
    </message>
    <message>
      <source>msg.receipt.send</source>
      <translation>Kirim (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>msg.receipt.sending</source>
      <translation>Memasukkan ke antrean kirim…</translation>
    </message>
    <message>
      <source>msg.receipt.title</source>
      <translation>Kirim struk {receipt}</translation>
    </message>
    <message>
      <source>msg.receipt.to_customer</source>
      <translation>Pelanggan: {name} ({to})</translation>
    </message>
    <message>
      <source>msg.receipt.to_customer_loading</source>
      <translation>Pelanggan: mencari…</translation>
    </message>
    <message>
      <source>msg.receipt.to_needed.email</source>
      <translation>Ketik alamat email tujuan.</translation>
    </message>
    <message>
      <source>msg.receipt.to_needed.whatsapp</source>
      <translation>Ketik nomor WhatsApp tujuan.</translation>
    </message>
    <message>
      <source>msg.receipt.to_other</source>
      <translation>Nomor atau alamat lain</translation>
    </message>
    <message>
      <source>msg.receipt.whom</source>
      <translation>Kepada</translation>
    </message>
    <message>
      <source>msg.what.email</source>
      <translation>alamat email</translation>
    </message>
    <message>
      <source>msg.what.whatsapp</source>
      <translation>nomor HP</translation>
    </message>
    <message>
      <source>office.back</source>
      <translation>Kembali ke kasir (Ctrl+O)</translation>
    </message>
    <message>
      <source>office.loading</source>
      <translation>Memuat…</translation>
    </message>
    <message>
      <source>office.nav.analytics</source>
      <translation>Analitik</translation>
    </message>
    <message>
      <source>office.nav.campaigns</source>
      <translation>Kampanye</translation>
    </message>
    <message>
      <source>office.nav.dashboard</source>
      <translation>Ringkasan</translation>
    </message>
    <message>
      <source>office.nav.data_requests</source>
      <translation>Permintaan data</translation>
    </message>
    <message>
      <source>office.nav.expenses</source>
      <translation>Pengeluaran</translation>
    </message>
    <message>
      <source>office.nav.journal</source>
      <translation>Jurnal</translation>
    </message>
    <message>
      <source>office.nav.loyalty</source>
      <translation>Poin &amp; member</translation>
    </message>
    <message>
      <source>office.nav.payables</source>
      <translation>Utang</translation>
    </message>
    <message>
      <source>office.nav.periods</source>
      <translation>Tutup buku</translation>
    </message>
    <message>
      <source>office.nav.products</source>
      <translation>Produk &amp; stok</translation>
    </message>
    <message>
      <source>office.nav.receivables</source>
      <translation>Piutang</translation>
    </message>
    <message>
      <source>office.nav.reorder</source>
      <translation>Pesan ulang stok</translation>
    </message>
    <message>
      <source>office.nav.reports</source>
      <translation>Laporan</translation>
    </message>
    <message>
      <source>office.nav.scheduled_emails</source>
      <translation>Email terjadwal</translation>
    </message>
    <message>
      <source>office.nav.segments</source>
      <translation>Segmen pelanggan</translation>
    </message>
    <message>
      <source>office.nav.settings</source>
      <translation>Pengaturan toko</translation>
    </message>
    <message>
      <source>office.nav.shipments</source>
      <translation>Pengiriman</translation>
    </message>
    <message>
      <source>office.nav.statements</source>
      <translation>Laporan keuangan</translation>
    </message>
    <message>
      <source>office.nav.users</source>
      <translation>Pengguna &amp; PIN</translation>
    </message>
    <message>
      <source>office.no</source>
      <translation>tidak</translation>
    </message>
    <message>
      <source>office.not_allowed</source>
      <translation>Kantor belakang hanya untuk pemilik dan supervisor; {name} masuk sebagai {role}.</translation>
    </message>
    <message>
      <source>office.open</source>
      <translation>Kantor belakang (Ctrl+O)</translation>
    </message>
    <message>
      <source>office.saved</source>
      <translation>Tersimpan.</translation>
    </message>
    <message>
      <source>office.title</source>
      <translation>Kantor belakang</translation>
    </message>
    <message>
      <source>office.user</source>
      <translation>{name} ({role})</translation>
    </message>
    <message>
      <source>office.yes</source>
      <translation>ya</translation>
    </message>
    <message>
      <source>pay.cancel</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <source>pay.change</source>
      <translation>Kembalian</translation>
    </message>
    <message>
      <source>pay.confirm</source>
      <translation>Selesai (Enter)</translation>
    </message>
    <message>
      <source>pay.due</source>
      <translation>Harus dibayar</translation>
    </message>
    <message>
      <source>pay.exact</source>
      <translation>Uang pas</translation>
    </message>
    <message>
      <source>pay.given</source>
      <translation>Uang diterima</translation>
    </message>
    <message>
      <source>pay.short</source>
      <translation>Kurang {amount}</translation>
    </message>
    <message>
      <source>pay.title</source>
      <translation>Bayar tunai</translation>
    </message>
    <message>
      <source>product.active</source>
      <translation>Aktif (dijual di kasir)</translation>
    </message>
    <message>
      <source>product.barcodes</source>
      <translation>Barcode (pisahkan dengan spasi)</translation>
    </message>
    <message>
      <source>product.cancel</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <source>product.category</source>
      <translation>Kategori</translation>
    </message>
    <message>
      <source>product.cost</source>
      <translation>Harga pokok</translation>
    </message>
    <message>
      <source>product.low_stock</source>
      <translation>Titik pesan ulang</translation>
    </message>
    <message>
      <source>product.name</source>
      <translation>Nama barang</translation>
    </message>
    <message>
      <source>product.price</source>
      <translation>Harga jual</translation>
    </message>
    <message>
      <source>product.save</source>
      <translation>Simpan (Ctrl+S)</translation>
    </message>
    <message>
      <source>product.saved</source>
      <translation>Barang {sku} tersimpan.</translation>
    </message>
    <message>
      <source>product.sku</source>
      <translation>SKU (kode barang)</translation>
    </message>
    <message>
      <source>product.tax_class</source>
      <translation>Jenis pajak</translation>
    </message>
    <message>
      <source>product.title_edit</source>
      <translation>Ubah barang {sku}</translation>
    </message>
    <message>
      <source>product.title_new</source>
      <translation>Barang baru</translation>
    </message>
    <message>
      <source>product.tracks_stock</source>
      <translation>Stok barang ini dicatat</translation>
    </message>
    <message>
      <source>product.unit</source>
      <translation>Satuan</translation>
    </message>
    <message>
      <source>products.adjust</source>
      <translation>Penyesuaian stok (Ctrl+J)</translation>
    </message>
    <message>
      <source>products.all_categories</source>
      <translation>Semua kategori</translation>
    </message>
    <message>
      <source>products.col.category</source>
      <translation>Kategori</translation>
    </message>
    <message>
      <source>products.col.name</source>
      <translation>Nama barang</translation>
    </message>
    <message>
      <source>products.col.price</source>
      <translation>Harga jual</translation>
    </message>
    <message>
      <source>products.col.reorder</source>
      <translation>Titik pesan ulang</translation>
    </message>
    <message>
      <source>products.col.sku</source>
      <translation>SKU</translation>
    </message>
    <message>
      <source>products.col.stock</source>
      <translation>Stok</translation>
    </message>
    <message>
      <source>products.col.tax</source>
      <translation>Pajak</translation>
    </message>
    <message>
      <source>products.count</source>
      <translation>Hitung stok (Ctrl+K)</translation>
    </message>
    <message>
      <source>products.count_more</source>
      <translation>{n} barang pertama — persempit pencarian</translation>
    </message>
    <message>
      <source>products.count_shown</source>
      <translation>{n} barang</translation>
    </message>
    <message>
      <source>products.edit</source>
      <translation>Ubah (Ctrl+E)</translation>
    </message>
    <message>
      <source>products.import</source>
      <translation>Impor CSV (Ctrl+I)</translation>
    </message>
    <message>
      <source>products.inactive</source>
      <translation>tidak aktif</translation>
    </message>
    <message>
      <source>products.low</source>
      <translation>menipis</translation>
    </message>
    <message>
      <source>products.low_only</source>
      <translation>Hanya stok menipis</translation>
    </message>
    <message>
      <source>products.new</source>
      <translation>Barang baru (Ctrl+N)</translation>
    </message>
    <message>
      <source>products.receive</source>
      <translation>Barang masuk (Ctrl+R)</translation>
    </message>
    <message>
      <source>products.search</source>
      <translation>Cari nama, SKU atau barcode</translation>
    </message>
    <message>
      <source>products.title</source>
      <translation>Produk &amp; stok</translation>
    </message>
    <message>
      <source>promo.applied</source>
      <translation>Kode promo {code} dipakai: potongan {amount}</translation>
    </message>
    <message>
      <source>promo.apply</source>
      <translation>Pakai kode</translation>
    </message>
    <message>
      <source>promo.badge</source>
      <translation>Kode promo {code}   ·   {amount}</translation>
    </message>
    <message>
      <source>promo.badge_short</source>
      <translation>Kode promo {code}   ·   belum berlaku: belanja minimal {min_spend}</translation>
    </message>
    <message>
      <source>promo.button</source>
      <translation>Kode promo (Ctrl+P)</translation>
    </message>
    <message>
      <source>promo.cancel</source>
      <translation>Batal</translation>
    </message>
    <message>
      <source>promo.checking</source>
      <translation>Memeriksa kode…</translation>
    </message>
    <message>
      <source>promo.current</source>
      <translation>Kode di keranjang: {code}</translation>
    </message>
    <message>
      <source>promo.detached</source>
      <translation>Pelanggan dilepas; kode promo {code} ikut dihapus</translation>
    </message>
    <message>
      <source>promo.empty</source>
      <translation>Ketik kodenya dulu.</translation>
    </message>
    <message>
      <source>promo.hint</source>
      <translation>Ketik kode promo pelanggan. Kode hanya untuk pelanggan yang dipilih (F7), sesuai masa berlaku dan batas pemakaiannya.</translation>
    </message>
    <message>
      <source>promo.placeholder</source>
      <translation>mis. HEMAT10</translation>
    </message>
    <message>
      <source>promo.refused</source>
      <translation>Kode promo ditolak: {reason}</translation>
    </message>
    <message>
      <source>promo.remove</source>
      <translation>Hapus kode</translation>
    </message>
    <message>
      <source>promo.remove_first</source>
      <translation>Kode promo {code} sudah menjadi diskon total: hapus kodenya dulu (Ctrl+P)</translation>
    </message>
    <message>
      <source>promo.removed</source>
      <translation>Kode promo {code} dihapus</translation>
    </message>
    <message>
      <source>promo.title</source>
      <translation>Kode promo</translation>
    </message>
    <message>
      <source>qty.bad</source>
      <translation>Jumlah: {reason}</translation>
    </message>
    <message>
      <source>qty.cancel</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <source>qty.decimals</source>
      <translation>paling banyak 3 angka di belakang koma</translation>
    </message>
    <message>
      <source>qty.not_number</source>
      <translation>ketik angka, mis. 0,75</translation>
    </message>
    <message>
      <source>qty.ok</source>
      <translation>OK (Enter)</translation>
    </message>
    <message>
      <source>qty.positive</source>
      <translation>harus lebih dari nol</translation>
    </message>
    <message>
      <source>qty.preview</source>
      <translation>{qty} {unit} × {price} = {amount}</translation>
    </message>
    <message>
      <source>qty.prompt_pieces</source>
      <translation>{name}: berapa {unit}?</translation>
    </message>
    <message>
      <source>qty.prompt_weighed</source>
      <translation>{name}: berapa {unit}? (mis. 0,75 lalu Enter)</translation>
    </message>
    <message>
      <source>qty.title</source>
      <translation>Jumlah</translation>
    </message>
    <message>
      <source>qty.too_big</source>
      <translation>terlalu besar</translation>
    </message>
    <message>
      <source>qty.weight_title</source>
      <translation>Berat / takaran</translation>
    </message>
    <message>
      <source>qty.whole</source>
      <translation>harus bilangan bulat untuk satuan {unit}</translation>
    </message>
    <message>
      <source>receipt.cancel</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <source>receipt.no_printer</source>
      <translation>Belum ada printer struk (atur di Pengaturan toko → printer).</translation>
    </message>
    <message>
      <source>receipt.no_printer_copy</source>
      <translation>Struk {receipt} tidak dicetak ulang: belum ada printer struk. Pemilik mengaturnya di Kantor belakang → Pengaturan toko → Printer; atau simpan sebagai PDF (⇧F11).</translation>
    </message>
    <message>
      <source>receipt.none_yet</source>
      <translation>Belum ada struk untuk dicetak ulang.</translation>
    </message>
    <message>
      <source>receipt.not_printed</source>
      <translation>Struk {receipt} tidak tercetak: {reason}</translation>
    </message>
    <message>
      <source>receipt.number</source>
      <translation>Nomor struk</translation>
    </message>
    <message>
      <source>receipt.number_needed</source>
      <translation>Ketik nomor struk dulu.</translation>
    </message>
    <message>
      <source>receipt.pdf</source>
      <translation>Simpan PDF (F8)</translation>
    </message>
    <message>
      <source>receipt.pdf_filter</source>
      <translation>Dokumen PDF (*.pdf)</translation>
    </message>
    <message>
      <source>receipt.pdf_saved</source>
      <translation>PDF struk {receipt} disimpan: {path}</translation>
    </message>
    <message>
      <source>receipt.printed</source>
      <translation>struk dicetak</translation>
    </message>
    <message>
      <source>receipt.printed_copy</source>
      <translation>Salinan struk {receipt} dicetak.</translation>
    </message>
    <message>
      <source>receipt.reprint</source>
      <translation>Cetak ulang (Enter)</translation>
    </message>
    <message>
      <source>receipt.reprint_button</source>
      <translation>Cetak ulang (F11)</translation>
    </message>
    <message>
      <source>receipt.reprint_title</source>
      <translation>Cetak ulang struk</translation>
    </message>
    <message>
      <source>receive.add_line</source>
      <translation>Tambah baris</translation>
    </message>
    <message>
      <source>receive.col.code</source>
      <translation>SKU / barcode</translation>
    </message>
    <message>
      <source>receive.col.cost</source>
      <translation>Harga beli satuan</translation>
    </message>
    <message>
      <source>receive.col.qty</source>
      <translation>Jumlah</translation>
    </message>
    <message>
      <source>receive.document</source>
      <translation>No. faktur / surat jalan</translation>
    </message>
    <message>
      <source>receive.done</source>
      <translation>Barang masuk tersimpan: {lines} baris, total {total}.</translation>
    </message>
    <message>
      <source>receive.paid.bank</source>
      <translation>Rekening bank</translation>
    </message>
    <message>
      <source>receive.paid.capital</source>
      <translation>Modal pemilik</translation>
    </message>
    <message>
      <source>receive.paid.cash</source>
      <translation>Kas laci</translation>
    </message>
    <message>
      <source>receive.paid.payable</source>
      <translation>Belum dibayar (utang ke pemasok)</translation>
    </message>
    <message>
      <source>receive.paid_from</source>
      <translation>Dibayar dari</translation>
    </message>
    <message>
      <source>receive.save</source>
      <translation>Simpan barang masuk (Ctrl+S)</translation>
    </message>
    <message>
      <source>receive.supplier</source>
      <translation>Pemasok</translation>
    </message>
    <message>
      <source>receive.title</source>
      <translation>Barang masuk</translation>
    </message>
    <message>
      <source>reports.empty</source>
      <translation>Tidak ada data pada periode ini.</translation>
    </message>
    <message>
      <source>reports.export.csv</source>
      <translation>Ekspor CSV</translation>
    </message>
    <message>
      <source>reports.export.html</source>
      <translation>Ekspor HTML</translation>
    </message>
    <message>
      <source>reports.export.pdf</source>
      <translation>Ekspor PDF</translation>
    </message>
    <message>
      <source>reports.exported</source>
      <translation>Tersimpan: {path}</translation>
    </message>
    <message>
      <source>reports.exporting</source>
      <translation>Mengekspor…</translation>
    </message>
    <message>
      <source>reports.from</source>
      <translation>Dari</translation>
    </message>
    <message>
      <source>reports.kind</source>
      <translation>Laporan</translation>
    </message>
    <message>
      <source>reports.month</source>
      <translation>Bulan ini</translation>
    </message>
    <message>
      <source>reports.now_note</source>
      <translation>Laporan ini menunjukkan keadaan saat ini: tanggal tidak dipakai.</translation>
    </message>
    <message>
      <source>reports.save_as</source>
      <translation>Simpan laporan sebagai</translation>
    </message>
    <message>
      <source>reports.show</source>
      <translation>Tampilkan (F5)</translation>
    </message>
    <message>
      <source>reports.title</source>
      <translation>Laporan</translation>
    </message>
    <message>
      <source>reports.to</source>
      <translation>Sampai</translation>
    </message>
    <message>
      <source>reports.today</source>
      <translation>Hari ini</translation>
    </message>
    <message>
      <source>reports.total</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>reports.week</source>
      <translation>7 hari terakhir</translation>
    </message>
    <message>
      <source>role.cashier</source>
      <translation>kasir</translation>
    </message>
    <message>
      <source>role.owner</source>
      <translation>pemilik</translation>
    </message>
    <message>
      <source>role.supervisor</source>
      <translation>supervisor</translation>
    </message>
    <message>
      <source>segments.col.customers</source>
      <translation>Pelanggan</translation>
    </message>
    <message>
      <source>segments.col.segment</source>
      <translation>Segmen</translation>
    </message>
    <message>
      <source>segments.col.spend</source>
      <translation>Belanja 12 bulan</translation>
    </message>
    <message>
      <source>segments.col.with_consent</source>
      <translation>Setuju promo</translation>
    </message>
    <message>
      <source>segments.computed</source>
      <translation>Dihitung {when}</translation>
    </message>
    <message>
      <source>segments.never</source>
      <translation>Belum pernah dihitung: tekan Hitung ulang.</translation>
    </message>
    <message>
      <source>segments.recompute</source>
      <translation>Hitung ulang sekarang</translation>
    </message>
    <message>
      <source>segments.recomputed</source>
      <translation>{n} pelanggan dihitung ulang.</translation>
    </message>
    <message>
      <source>segments.rule</source>
      <translation>Skor tetap untuk toko kecil: R dari hari sejak belanja terakhir (≤14 hari = 3, ≤45 = 2), F dari jumlah belanja 12 bulan (≥6 = 3, ≥2 = 2), M dari total belanja 12 bulan (≥ Rp 1.000.000 = 3, ≥ Rp 250.000 = 2). Ambang bisa diubah di pengaturan segments.*. Dihitung ulang tiap malam.</translation>
    </message>
    <message>
      <source>segments.title</source>
      <translation>Segmen pelanggan (RFM)</translation>
    </message>
    <message>
      <source>settings.address</source>
      <translation>Alamat</translation>
    </message>
    <message>
      <source>settings.cred.central_dsn</source>
      <translation>Alamat server pusat (DSN)</translation>
    </message>
    <message>
      <source>settings.cred.central_password</source>
      <translation>Sandi server pusat</translation>
    </message>
    <message>
      <source>settings.cred.clear</source>
      <translation>Hapus</translation>
    </message>
    <message>
      <source>settings.cred.cleared</source>
      <translation>{what} dihapus.</translation>
    </message>
    <message>
      <source>settings.cred.midtrans_client_key</source>
      <translation>Client key Midtrans</translation>
    </message>
    <message>
      <source>settings.cred.midtrans_server_key</source>
      <translation>Server key Midtrans</translation>
    </message>
    <message>
      <source>settings.cred.set</source>
      <translation>terpasang</translation>
    </message>
    <message>
      <source>settings.cred.store</source>
      <translation>Simpan</translation>
    </message>
    <message>
      <source>settings.cred.stored</source>
      <translation>{what} tersimpan.</translation>
    </message>
    <message>
      <source>settings.cred.unset</source>
      <translation>belum ada</translation>
    </message>
    <message>
      <source>settings.credentials</source>
      <translation>Kunci &amp; sandi</translation>
    </message>
    <message>
      <source>settings.credentials_note</source>
      <translation>Disimpan di penyimpanan rahasia komputer ini, tidak pernah di database. Di sini hanya terlihat sudah terpasang atau belum.</translation>
    </message>
    <message>
      <source>settings.drawer</source>
      <translation>Buka laci uang saat transaksi tunai</translation>
    </message>
    <message>
      <source>settings.kind.file</source>
      <translation>File / perangkat</translation>
    </message>
    <message>
      <source>settings.kind.network</source>
      <translation>Jaringan (LAN/Wi-Fi)</translation>
    </message>
    <message>
      <source>settings.kind.none</source>
      <translation>Tanpa printer</translation>
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
      <translation>Bahasa</translation>
    </message>
    <message>
      <source>settings.npwp</source>
      <translation>NPWP</translation>
    </message>
    <message>
      <source>settings.paper_mm</source>
      <translation>Lebar kertas</translation>
    </message>
    <message>
      <source>settings.pkp</source>
      <translation>Toko PKP (memungut PPN)</translation>
    </message>
    <message>
      <source>settings.printer</source>
      <translation>Printer struk</translation>
    </message>
    <message>
      <source>settings.printer_kind</source>
      <translation>Jenis printer</translation>
    </message>
    <message>
      <source>settings.printer_target</source>
      <translation>Alamat printer</translation>
    </message>
    <message>
      <source>settings.printer_target_hint</source>
      <translation>USB: VID:PID, mis. 0416:5011
Serial: /dev/ttyUSB0 atau COM3
Jaringan: IP[:port], mis. 192.168.1.50:9100
File: lokasi file, mis. /dev/usb/lp0</translation>
    </message>
    <message>
      <source>settings.receipt</source>
      <translation>Struk</translation>
    </message>
    <message>
      <source>settings.receipt_footer</source>
      <translation>Kaki struk</translation>
    </message>
    <message>
      <source>settings.receipt_header</source>
      <translation>Kepala struk</translation>
    </message>
    <message>
      <source>settings.rounding.down</source>
      <translation>Selalu ke bawah</translation>
    </message>
    <message>
      <source>settings.rounding.nearest</source>
      <translation>Ke yang terdekat</translation>
    </message>
    <message>
      <source>settings.rounding_mode</source>
      <translation>Arah pembulatan</translation>
    </message>
    <message>
      <source>settings.rounding_unit</source>
      <translation>Pembulatan tunai</translation>
    </message>
    <message>
      <source>settings.save</source>
      <translation>Simpan (Ctrl+S)</translation>
    </message>
    <message>
      <source>settings.saved</source>
      <translation>Pengaturan tersimpan.</translation>
    </message>
    <message>
      <source>settings.store</source>
      <translation>Toko</translation>
    </message>
    <message>
      <source>settings.store_name</source>
      <translation>Nama toko</translation>
    </message>
    <message>
      <source>settings.title</source>
      <translation>Pengaturan toko</translation>
    </message>
    <message>
      <source>ship.all</source>
      <translation>Semua</translation>
    </message>
    <message>
      <source>ship.cancel</source>
      <translation>Batalkan</translation>
    </message>
    <message>
      <source>ship.cancel_queued</source>
      <translation>Pembatalan masuk antrean; kurir ditanya saat toko online.</translation>
    </message>
    <message>
      <source>ship.cheapest</source>
      <translation>Termurah</translation>
    </message>
    <message>
      <source>ship.choice</source>
      <translation>Dikirim dengan {service}, {price}</translation>
    </message>
    <message>
      <source>ship.choice_default</source>
      <translation>Tanpa tarif: layanan bawaan toko {courier} {service}</translation>
    </message>
    <message>
      <source>ship.choice_none</source>
      <translation>Pilih tarif kurir dulu.</translation>
    </message>
    <message>
      <source>ship.close</source>
      <translation>Tutup (Esc)</translation>
    </message>
    <message>
      <source>ship.cod</source>
      <translation>Bayar di tempat (COD)</translation>
    </message>
    <message>
      <source>ship.col.cod</source>
      <translation>COD</translation>
    </message>
    <message>
      <source>ship.col.courier</source>
      <translation>Kurir</translation>
    </message>
    <message>
      <source>ship.col.etd</source>
      <translation>Estimasi</translation>
    </message>
    <message>
      <source>ship.col.mark</source>
      <translation>★</translation>
    </message>
    <message>
      <source>ship.col.price</source>
      <translation>Tarif</translation>
    </message>
    <message>
      <source>ship.col.service</source>
      <translation>Layanan</translation>
    </message>
    <message>
      <source>ship.count</source>
      <translation>{n} pengiriman</translation>
    </message>
    <message>
      <source>ship.create.title</source>
      <translation>Kirim paket</translation>
    </message>
    <message>
      <source>ship.days</source>
      <translation>{n} hari</translation>
    </message>
    <message>
      <source>ship.days_range</source>
      <translation>{lo}–{hi} hari</translation>
    </message>
    <message>
      <source>ship.default_description</source>
      <translation>Barang belanja</translation>
    </message>
    <message>
      <source>ship.destination_needed</source>
      <translation>isi kode pos, area atau kode tujuan</translation>
    </message>
    <message>
      <source>ship.detail</source>
      <translation>Rincian</translation>
    </message>
    <message>
      <source>ship.detail_head</source>
      <translation>{receipt} · {courier} {service}</translation>
    </message>
    <message>
      <source>ship.event.note</source>
      <translation>Catatan</translation>
    </message>
    <message>
      <source>ship.event.provider</source>
      <translation>Status kurir</translation>
    </message>
    <message>
      <source>ship.event.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.event.when</source>
      <translation>Waktu</translation>
    </message>
    <message>
      <source>ship.fact.cod</source>
      <translation>COD</translation>
    </message>
    <message>
      <source>ship.fact.error</source>
      <translation>Galat terakhir</translation>
    </message>
    <message>
      <source>ship.fact.price</source>
      <translation>Ongkir</translation>
    </message>
    <message>
      <source>ship.fact.recipient</source>
      <translation>Penerima</translation>
    </message>
    <message>
      <source>ship.fact.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.fact.volume</source>
      <translation>Berat volume</translation>
    </message>
    <message>
      <source>ship.fact.waybill</source>
      <translation>No. resi</translation>
    </message>
    <message>
      <source>ship.fact.weight</source>
      <translation>Berat asli</translation>
    </message>
    <message>
      <source>ship.fastest</source>
      <translation>Tercepat</translation>
    </message>
    <message>
      <source>ship.field.address</source>
      <translation>Alamat</translation>
    </message>
    <message>
      <source>ship.field.area</source>
      <translation>Area (Biteship)</translation>
    </message>
    <message>
      <source>ship.field.city</source>
      <translation>Kota/kabupaten</translation>
    </message>
    <message>
      <source>ship.field.code</source>
      <translation>Kode tujuan (JNE/J&amp;T)</translation>
    </message>
    <message>
      <source>ship.field.description</source>
      <translation>Isi paket</translation>
    </message>
    <message>
      <source>ship.field.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>ship.field.phone</source>
      <translation>No. HP</translation>
    </message>
    <message>
      <source>ship.field.postal</source>
      <translation>Kode pos</translation>
    </message>
    <message>
      <source>ship.field.receipt</source>
      <translation>No. struk</translation>
    </message>
    <message>
      <source>ship.field.service</source>
      <translation>Layanan</translation>
    </message>
    <message>
      <source>ship.field.size</source>
      <translation>P × L × T</translation>
    </message>
    <message>
      <source>ship.field.value</source>
      <translation>Nilai barang</translation>
    </message>
    <message>
      <source>ship.field.weight</source>
      <translation>Berat</translation>
    </message>
    <message>
      <source>ship.field_error</source>
      <translation>{field}: {reason}</translation>
    </message>
    <message>
      <source>ship.filter.courier</source>
      <translation>Kurir</translation>
    </message>
    <message>
      <source>ship.filter.dates</source>
      <translation>Tanggal</translation>
    </message>
    <message>
      <source>ship.filter.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.filter.text</source>
      <translation>No. struk, penerima atau resi</translation>
    </message>
    <message>
      <source>ship.find</source>
      <translation>Cari struk</translation>
    </message>
    <message>
      <source>ship.list.cod</source>
      <translation>COD</translation>
    </message>
    <message>
      <source>ship.list.courier</source>
      <translation>Kurir</translation>
    </message>
    <message>
      <source>ship.list.created</source>
      <translation>Dibuat</translation>
    </message>
    <message>
      <source>ship.list.price</source>
      <translation>Ongkir</translation>
    </message>
    <message>
      <source>ship.list.receipt</source>
      <translation>Struk</translation>
    </message>
    <message>
      <source>ship.list.recipient</source>
      <translation>Penerima</translation>
    </message>
    <message>
      <source>ship.list.status</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>ship.list.waybill</source>
      <translation>No. resi</translation>
    </message>
    <message>
      <source>ship.new</source>
      <translation>Buat pengiriman</translation>
    </message>
    <message>
      <source>ship.no_rates</source>
      <translation>Tidak ada kurir yang memberi tarif.</translation>
    </message>
    <message>
      <source>ship.no_waybill</source>
      <translation>belum ada</translation>
    </message>
    <message>
      <source>ship.note_hint</source>
      <translation>Catatan untuk kurir (boleh kosong)</translation>
    </message>
    <message>
      <source>ship.on_sale</source>
      <translation>Paket: {courier} {service} {waybill} · {status}</translation>
    </message>
    <message>
      <source>ship.parcel</source>
      <translation>Paket</translation>
    </message>
    <message>
      <source>ship.pick_one</source>
      <translation>Pilih pengiriman di daftar.</translation>
    </message>
    <message>
      <source>ship.prices</source>
      <translation>Tarif kurir</translation>
    </message>
    <message>
      <source>ship.quoted_final</source>
      <translation>tarif {quoted} · akhir {final}</translation>
    </message>
    <message>
      <source>ship.rates</source>
      <translation>Bandingkan tarif (F5)</translation>
    </message>
    <message>
      <source>ship.rates_again</source>
      <translation>Paket atau tujuan berubah: bandingkan tarif lagi.</translation>
    </message>
    <message>
      <source>ship.rates_asking</source>
      <translation>Menanyakan tarif ke kurir…</translation>
    </message>
    <message>
      <source>ship.rates_failed</source>
      <translation>Tarif tidak bisa ditanyakan: {reason}</translation>
    </message>
    <message>
      <source>ship.reason_hint</source>
      <translation>Alasan pembatalan</translation>
    </message>
    <message>
      <source>ship.reason_needed</source>
      <translation>Tulis alasan pembatalan.</translation>
    </message>
    <message>
      <source>ship.receipt_hint</source>
      <translation>No. struk, mis. TOKO1-K1-000123</translation>
    </message>
    <message>
      <source>ship.receipt_needed</source>
      <translation>Ketik nomor struk penjualan.</translation>
    </message>
    <message>
      <source>ship.recipient</source>
      <translation>Penerima</translation>
    </message>
    <message>
      <source>ship.sale</source>
      <translation>Struk {receipt} · {amount}</translation>
    </message>
    <message>
      <source>ship.search</source>
      <translation>Cari</translation>
    </message>
    <message>
      <source>ship.send</source>
      <translation>Kirim (Ctrl+Enter)</translation>
    </message>
    <message>
      <source>ship.sending</source>
      <translation>Menyimpan pengiriman…</translation>
    </message>
    <message>
      <source>ship.status.allocated</source>
      <translation>Kurir ditugaskan</translation>
    </message>
    <message>
      <source>ship.status.cancelled</source>
      <translation>Dibatalkan</translation>
    </message>
    <message>
      <source>ship.status.created</source>
      <translation>Dibuat</translation>
    </message>
    <message>
      <source>ship.status.delivered</source>
      <translation>Diterima</translation>
    </message>
    <message>
      <source>ship.status.failed</source>
      <translation>Gagal</translation>
    </message>
    <message>
      <source>ship.status.in_transit</source>
      <translation>Dalam perjalanan</translation>
    </message>
    <message>
      <source>ship.status.on_hold</source>
      <translation>Tertahan</translation>
    </message>
    <message>
      <source>ship.status.picked_up</source>
      <translation>Sudah dijemput</translation>
    </message>
    <message>
      <source>ship.status.picking_up</source>
      <translation>Dijemput</translation>
    </message>
    <message>
      <source>ship.status.queued</source>
      <translation>Antre</translation>
    </message>
    <message>
      <source>ship.status.returned</source>
      <translation>Kembali ke toko</translation>
    </message>
    <message>
      <source>ship.status.returning</source>
      <translation>Dikembalikan</translation>
    </message>
    <message>
      <source>ship.title</source>
      <translation>Pengiriman</translation>
    </message>
    <message>
      <source>ship.track</source>
      <translation>Lacak</translation>
    </message>
    <message>
      <source>ship.track_queued</source>
      <translation>Status ditanyakan ke kurir saat toko online.</translation>
    </message>
    <message>
      <source>ship.weights</source>
      <translation>Berat asli {real} · berat volume {volume} · dihitung {charged}</translation>
    </message>
    <message>
      <source>sup.cancel</source>
      <translation>Batal (Esc)</translation>
    </message>
    <message>
      <source>sup.checking</source>
      <translation>Memeriksa PIN…</translation>
    </message>
    <message>
      <source>sup.needs</source>
      <translation>Perlu persetujuan {role}.</translation>
    </message>
    <message>
      <source>sup.ok</source>
      <translation>Setujui (Enter)</translation>
    </message>
    <message>
      <source>sup.pick_user</source>
      <translation>Pilih atau ketik nama {role}.</translation>
    </message>
    <message>
      <source>sup.pin</source>
      <translation>PIN</translation>
    </message>
    <message>
      <source>sup.pin_needed</source>
      <translation>Masukkan PIN.</translation>
    </message>
    <message>
      <source>sup.title</source>
      <translation>PIN {role}</translation>
    </message>
    <message>
      <source>sup.user</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>sup.what</source>
      <translation>{what}</translation>
    </message>
    <message>
      <source>sync.details</source>
      <translation>Detail (Ctrl+Shift+S)</translation>
    </message>
    <message>
      <source>sync.failed</source>
      <translation>Gagal: {count}</translation>
    </message>
    <message>
      <source>sync.last_sync</source>
      <translation>Sinkron: {when}</translation>
    </message>
    <message>
      <source>sync.loading</source>
      <translation>Sinkron: memuat…</translation>
    </message>
    <message>
      <source>sync.never</source>
      <translation>Sinkron: belum pernah</translation>
    </message>
    <message>
      <source>sync.pending</source>
      <translation>Antre kirim: {count}</translation>
    </message>
    <message>
      <source>sync.pending_age</source>
      <translation>Antre kirim: {count} (tertua {age})</translation>
    </message>
    <message>
      <source>sync.skew</source>
      <translation>⚠ Jam selisih {amount} dari pusat</translation>
    </message>
    <message>
      <source>sync.skew_tip</source>
      <translation>Jam komputer kasir ini berbeda {amount} dari server pusat: periksa jam komputer. Selisih jam tidak mengubah urutan transaksi, tetapi waktu di struk dan laporan menjadi salah.</translation>
    </message>
    <message>
      <source>sync.state.not_connected</source>
      <translation>● Offline (tanpa server pusat)</translation>
    </message>
    <message>
      <source>sync.state.offline</source>
      <translation>● Offline sejak {since}</translation>
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
      <translation>● Ditolak server pusat</translation>
    </message>
    <message>
      <source>sync.state.starting</source>
      <translation>● Menghubungkan…</translation>
    </message>
    <message>
      <source>sync.state.stopped</source>
      <translation>● Sinkron berhenti</translation>
    </message>
    <message>
      <source>sync.tip.not_connected</source>
      <translation>Kasir ini tidak terhubung ke server pusat ({why}). Semua transaksi tersimpan di komputer ini.</translation>
    </message>
    <message>
      <source>sync.tip.offline</source>
      <translation>Server pusat tidak bisa dihubungi; dicoba lagi otomatis. Semua transaksi tersimpan di komputer ini. Kesalahan terakhir: {error}</translation>
    </message>
    <message>
      <source>sync.tip.online</source>
      <translation>Terhubung ke server pusat. Transaksi dikirim otomatis.</translation>
    </message>
    <message>
      <source>sync.tip.refused</source>
      <translation>Server pusat menolak kiriman kasir ini: {why}</translation>
    </message>
    <message>
      <source>sync.tip.starting</source>
      <translation>Memeriksa koneksi ke server pusat…</translation>
    </message>
    <message>
      <source>sync.tip.stopped</source>
      <translation>Sinkronisasi tidak berjalan.</translation>
    </message>
    <message>
      <source>sync.unsent_close</source>
      <translation>{count} item belum terkirim ke server pusat atau penyedia. Semuanya tetap tersimpan di komputer ini dan dikirim saat program dibuka lagi dan koneksi ada. Tutup program sekarang?</translation>
    </message>
    <message>
      <source>sync.unsent_logout</source>
      <translation>{count} item belum terkirim ke server pusat atau penyedia. Semuanya tetap tersimpan dan terus dikirim selama program ini terbuka; jangan matikan komputer dulu. Keluar sekarang?</translation>
    </message>
    <message>
      <source>sync.unsent_logout_local</source>
      <translation>{count} item menunggu dikirim (“Antre kirim”), tetapi kasir ini belum terhubung ke server pusat. Semuanya tetap tersimpan di komputer ini dan dikirim setelah terhubung. Keluar sekarang?</translation>
    </message>
    <message>
      <source>sync.unsent_no</source>
      <translation>Batal</translation>
    </message>
    <message>
      <source>sync.unsent_ok</source>
      <translation>OK</translation>
    </message>
    <message>
      <source>sync.unsent_title</source>
      <translation>Masih ada yang belum terkirim</translation>
    </message>
    <message>
      <source>sync.unsent_yes_close</source>
      <translation>Tutup saja</translation>
    </message>
    <message>
      <source>sync.unsent_yes_logout</source>
      <translation>Keluar</translation>
    </message>
    <message>
      <source>sync.unsent_yes_logout_local</source>
      <translation>Keluar</translation>
    </message>
    <message>
      <source>syncp.cannot_discard</source>
      <translation>Baris ini tidak bisa dibuang.</translation>
    </message>
    <message>
      <source>syncp.cannot_retry</source>
      <translation>Baris ini tidak bisa dicoba lagi.</translation>
    </message>
    <message>
      <source>syncp.close</source>
      <translation>Tutup (Esc)</translation>
    </message>
    <message>
      <source>syncp.col.attempts</source>
      <translation>Percobaan</translation>
    </message>
    <message>
      <source>syncp.col.created</source>
      <translation>Dibuat</translation>
    </message>
    <message>
      <source>syncp.col.error</source>
      <translation>Kesalahan terakhir</translation>
    </message>
    <message>
      <source>syncp.col.item</source>
      <translation>Item</translation>
    </message>
    <message>
      <source>syncp.col.next</source>
      <translation>Coba lagi pada</translation>
    </message>
    <message>
      <source>syncp.col.state</source>
      <translation>Status</translation>
    </message>
    <message>
      <source>syncp.discard</source>
      <translation>Buang (F8)</translation>
    </message>
    <message>
      <source>syncp.discard_what</source>
      <translation>Buang {what} ({state})</translation>
    </message>
    <message>
      <source>syncp.done</source>
      <translation>Selesai: {message}</translation>
    </message>
    <message>
      <source>syncp.event.cash.cash_in</source>
      <translation>Kas masuk (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.cash.cash_out</source>
      <translation>Kas keluar (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.cash.no_sale</source>
      <translation>Laci dibuka tanpa penjualan (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.customer.erased</source>
      <translation>Data pelanggan dihapus (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.customer.upserted</source>
      <translation>Data pelanggan diubah (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.goods.received</source>
      <translation>Barang masuk dari pemasok (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.kasbon.repaid</source>
      <translation>Pembayaran kasbon (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.other</source>
      <translation>Perubahan lain (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.product.upserted</source>
      <translation>Perubahan produk (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.sale.completed</source>
      <translation>Penjualan (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.sale.refunded</source>
      <translation>Retur penjualan (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.shift.closed</source>
      <translation>Shift ditutup (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.shift.opened</source>
      <translation>Shift dibuka (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.stock.adjust</source>
      <translation>Penyesuaian stok (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.stock.count</source>
      <translation>Hitung stok (#{n})</translation>
    </message>
    <message>
      <source>syncp.event.stock.waste</source>
      <translation>Barang rusak/terbuang (#{n})</translation>
    </message>
    <message>
      <source>syncp.job.cancel</source>
      <translation>Batalkan paket lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.charge</source>
      <translation>Tagihan pembayaran lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.create</source>
      <translation>Kirim paket lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.email</source>
      <translation>Email lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.other</source>
      <translation>Tugas {provider}: {kind}</translation>
    </message>
    <message>
      <source>syncp.job.push</source>
      <translation>Notifikasi push lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.refund</source>
      <translation>Pengembalian dana lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.sms</source>
      <translation>SMS lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.track</source>
      <translation>Lacak paket lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.job.whatsapp</source>
      <translation>WhatsApp lewat {provider}</translation>
    </message>
    <message>
      <source>syncp.not_connected</source>
      <translation>Kasir ini belum terhubung ke server pusat: data tersimpan aman di sini dan dikirim setelah kasir didaftarkan (warungin enroll).</translation>
    </message>
    <message>
      <source>syncp.nothing</source>
      <translation>Tidak ada antrean.</translation>
    </message>
    <message>
      <source>syncp.pick</source>
      <translation>Pilih satu baris dulu.</translation>
    </message>
    <message>
      <source>syncp.refresh</source>
      <translation>Muat ulang (F6)</translation>
    </message>
    <message>
      <source>syncp.retry</source>
      <translation>Coba lagi (F5)</translation>
    </message>
    <message>
      <source>syncp.retry_what</source>
      <translation>Coba lagi {what}</translation>
    </message>
    <message>
      <source>syncp.state.dead</source>
      <translation>berhenti dicoba</translation>
    </message>
    <message>
      <source>syncp.state.discarded</source>
      <translation>dibuang</translation>
    </message>
    <message>
      <source>syncp.state.failed</source>
      <translation>gagal, dicoba lagi</translation>
    </message>
    <message>
      <source>syncp.state.in_flight</source>
      <translation>sedang dikirim</translation>
    </message>
    <message>
      <source>syncp.state.pending</source>
      <translation>menunggu</translation>
    </message>
    <message>
      <source>syncp.state.quarantined</source>
      <translation>dikarantina</translation>
    </message>
    <message>
      <source>syncp.state.succeeded</source>
      <translation>berhasil</translation>
    </message>
    <message>
      <source>syncp.state.unknown</source>
      <translation>belum pasti</translation>
    </message>
    <message>
      <source>syncp.tab.central</source>
      <translation>Server pusat</translation>
    </message>
    <message>
      <source>syncp.tab.couriers</source>
      <translation>Kurir</translation>
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
      <translation>Lainnya</translation>
    </message>
    <message>
      <source>syncp.tab.payments</source>
      <translation>Pembayaran</translation>
    </message>
    <message>
      <source>syncp.tab.push</source>
      <translation>Notifikasi</translation>
    </message>
    <message>
      <source>syncp.tab_count</source>
      <translation>{name} ({count})</translation>
    </message>
    <message>
      <source>syncp.title</source>
      <translation>Status sinkronisasi</translation>
    </message>
    <message>
      <source>till.added</source>
      <translation>{name} ditambahkan</translation>
    </message>
    <message>
      <source>till.cash_due</source>
      <translation>Tunai dibayar</translation>
    </message>
    <message>
      <source>till.cashier</source>
      <translation>Kasir: {name} ({role})</translation>
    </message>
    <message>
      <source>till.clear</source>
      <translation>Kosongkan (Esc)</translation>
    </message>
    <message>
      <source>till.cleared</source>
      <translation>Keranjang dikosongkan.</translation>
    </message>
    <message>
      <source>till.col.item</source>
      <translation>Barang</translation>
    </message>
    <message>
      <source>till.col.price</source>
      <translation>Harga</translation>
    </message>
    <message>
      <source>till.col.qty</source>
      <translation>Jml</translation>
    </message>
    <message>
      <source>till.col.total</source>
      <translation>Total</translation>
    </message>
    <message>
      <source>till.discount</source>
      <translation>Diskon</translation>
    </message>
    <message>
      <source>till.empty_cart</source>
      <translation>Keranjang kosong: pindai barang dulu.</translation>
    </message>
    <message>
      <source>till.logout</source>
      <translation>Keluar (F12)</translation>
    </message>
    <message>
      <source>till.minus</source>
      <translation>− (F5)</translation>
    </message>
    <message>
      <source>till.no_results</source>
      <translation>Tidak ada hasil</translation>
    </message>
    <message>
      <source>till.pay_cash</source>
      <translation>Bayar tunai (F9)</translation>
    </message>
    <message>
      <source>till.plus</source>
      <translation>+ (F6)</translation>
    </message>
    <message>
      <source>till.remove</source>
      <translation>Hapus baris (Del)</translation>
    </message>
    <message>
      <source>till.rounding</source>
      <translation>Pembulatan</translation>
    </message>
    <message>
      <source>till.sale_done</source>
      <translation>Transaksi selesai — struk {receipt}, kembalian {change}</translation>
    </message>
    <message>
      <source>till.saving</source>
      <translation>Menyimpan transaksi…</translation>
    </message>
    <message>
      <source>till.scan_placeholder</source>
      <translation>Pindai barcode atau ketik SKU / nama, lalu Enter</translation>
    </message>
    <message>
      <source>till.search</source>
      <translation>Cari (F2)</translation>
    </message>
    <message>
      <source>till.send_receipt</source>
      <translation>Kirim struk {receipt} (Ctrl+K)</translation>
    </message>
    <message>
      <source>till.ship_parcel</source>
      <translation>Kirim paket (Ctrl+J)</translation>
    </message>
    <message>
      <source>till.subtotal</source>
      <translation>Subtotal</translation>
    </message>
    <message>
      <source>till.tax</source>
      <translation>PPN</translation>
    </message>
    <message>
      <source>till.tax_included</source>
      <translation>PPN (termasuk)</translation>
    </message>
    <message>
      <source>till.total</source>
      <translation>TOTAL</translation>
    </message>
    <message>
      <source>till.unknown</source>
      <translation>Barang tidak dikenal: {code}</translation>
    </message>
    <message>
      <source>users.add</source>
      <translation>Tambah pengguna</translation>
    </message>
    <message>
      <source>users.add_button</source>
      <translation>Tambah pengguna</translation>
    </message>
    <message>
      <source>users.added</source>
      <translation>Pengguna {name} ditambahkan.</translation>
    </message>
    <message>
      <source>users.change_pin</source>
      <translation>Ganti PIN</translation>
    </message>
    <message>
      <source>users.change_role</source>
      <translation>Ubah peran</translation>
    </message>
    <message>
      <source>users.col.failed</source>
      <translation>PIN salah</translation>
    </message>
    <message>
      <source>users.col.locked</source>
      <translation>Terkunci</translation>
    </message>
    <message>
      <source>users.col.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>users.col.role</source>
      <translation>Peran</translation>
    </message>
    <message>
      <source>users.locked_yes</source>
      <translation>terkunci</translation>
    </message>
    <message>
      <source>users.name</source>
      <translation>Nama</translation>
    </message>
    <message>
      <source>users.new_pin</source>
      <translation>PIN baru (4–8 angka)</translation>
    </message>
    <message>
      <source>users.none_selected</source>
      <translation>Pilih pengguna di daftar untuk mengubahnya.</translation>
    </message>
    <message>
      <source>users.pin</source>
      <translation>PIN (4–8 angka)</translation>
    </message>
    <message>
      <source>users.pin_changed</source>
      <translation>PIN {name} diubah.</translation>
    </message>
    <message>
      <source>users.role</source>
      <translation>Peran</translation>
    </message>
    <message>
      <source>users.role_changed</source>
      <translation>Peran {name} diubah.</translation>
    </message>
    <message>
      <source>users.selected</source>
      <translation>Pengguna terpilih: {name}</translation>
    </message>
    <message>
      <source>users.title</source>
      <translation>Pengguna &amp; PIN</translation>
    </message>
    <message>
      <source>users.unlock</source>
      <translation>Buka kunci</translation>
    </message>
    <message>
      <source>users.unlocked</source>
      <translation>{name} sudah bisa masuk lagi (kunci dibuka).</translation>
    </message>
  </context>
</TS>
