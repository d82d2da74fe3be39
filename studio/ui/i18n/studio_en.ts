<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AssetBanner</name>
    <message>
        <source>Buat ulang semua</source>
        <translation>Make all again</translation>
    </message>
    <message>
        <source>Nanti saja</source>
        <translation>Later</translation>
    </message>
    <message>
        <source>Sembunyikan pesan ini; berkas yang hilang tetap dicatat.</source>
        <translation>Hide this message; the missing files stay listed.</translation>
    </message>
    <message>
        <source>{n} berkas proyek hilang atau berubah. Tidak ada yang dihapus: sambungkan ulang berkas yang dipindah, atau buat ulang.</source>
        <translation>{n} project files are missing or changed. Nothing was deleted: relink the files that were moved, or make them again.</translation>
    </message>
    <message>
        <source>… dan {n} berkas lainnya.</source>
        <translation>… and {n} more files.</translation>
    </message>
</context>
<context>
    <name>AssetRow</name>
    <message>
        <source>Pakai {file}</source>
        <translation>Use {file}</translation>
    </message>
    <message>
        <source>Berkas ini ditemukan di folder proyek: {file}</source>
        <translation>This file was found in the project folder: {file}</translation>
    </message>
    <message>
        <source>Pakai apa adanya</source>
        <translation>Keep as it is</translation>
    </message>
    <message>
        <source>Simpan berkas yang sudah diubah ini sebagai bagian proyek.</source>
        <translation>Keep this edited file as part of the project.</translation>
    </message>
    <message>
        <source>Sambungkan ulang…</source>
        <translation>Relink…</translation>
    </message>
    <message>
        <source>Pilih berkas aslinya; berkas itu disalin ke folder proyek dengan nama yang diharapkan.</source>
        <translation>Choose the original file; it is copied into the project folder under the expected name.</translation>
    </message>
    <message>
        <source>Buat ulang</source>
        <translation>Make again</translation>
    </message>
    <message>
        <source>Buat berkas ini lagi di langkahnya.</source>
        <translation>Make this file again in its step.</translation>
    </message>
</context>
<context>
    <name>AutosaveMixin</name>
    <message>
        <source>Simpan otomatis gagal: {err}</source>
        <translation>Autosave failed: {err}</translation>
    </message>
    <message>
        <source>Perubahan yang belum tersimpan sudah dipulihkan.</source>
        <translation>The unsaved changes were restored.</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>Folder kelas</source>
        <translation>Class folder</translation>
    </message>
    <message>
        <source>Belum ada folder dipilih.</source>
        <translation>No folder chosen yet.</translation>
    </message>
    <message>
        <source>Pilih folder…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <source>Ekspor juga video yang lolos aturan</source>
        <translation>Also export the videos that pass the rules</translation>
    </message>
    <message>
        <source>Proyek bersamaan:</source>
        <translation>Projects at the same time:</translation>
    </message>
    <message>
        <source>Proyek</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Durasi</source>
        <translation>Duration</translation>
    </message>
    <message>
        <source>Aturan</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>Hasil</source>
        <translation>Output</translation>
    </message>
    <message>
        <source>Jalankan yang belum selesai</source>
        <translation>Run what is missing</translation>
    </message>
    <message>
        <source>Batalkan</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>menunggu</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>berjalan</source>
        <translation>running</translation>
    </message>
    <message>
        <source>selesai</source>
        <translation>done</translation>
    </message>
    <message>
        <source>sudah lengkap</source>
        <translation>up to date</translation>
    </message>
    <message>
        <source>gagal</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>dibatalkan</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>Naskah</source>
        <translation>Script</translation>
    </message>
    <message>
        <source>Gambar</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Suara</source>
        <translation>Voice</translation>
    </message>
    <message>
        <source>Subtitle</source>
        <translation>Subtitles</translation>
    </message>
    <message>
        <source>Musik</source>
        <translation>Music</translation>
    </message>
    <message>
        <source>Ekspor</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>lolos</source>
        <translation>pass</translation>
    </message>
    <message>
        <source>{n} memblokir</source>
        <translation>{n} blocking</translation>
    </message>
    <message>
        <source>Pilih folder kelas (berisi folder proyek peserta)</source>
        <translation>Choose the class folder (holding the participants&apos; project folders)</translation>
    </message>
    <message>
        <source>{path}: {n} proyek</source>
        <translation>{path}: {n} project(s)</translation>
    </message>
    <message>
        <source>Tidak ada folder proyek di sini. Pilih folder yang berisi folder proyek para peserta.</source>
        <translation>There are no project folders here. Choose the folder that holds the participants&apos; project folders.</translation>
    </message>
    <message>
        <source>Berjalan…</source>
        <translation>Running…</translation>
    </message>
    <message>
        <source>Membatalkan… langkah yang sudah selesai tetap tersimpan.</source>
        <translation>Cancelling… finished steps stay saved.</translation>
    </message>
    <message>
        <source>{n} proyek, {failed} gagal.</source>
        <translation>{n} project(s), {failed} failed.</translation>
    </message>
    <message>
        <source>Dibatalkan; jalankan lagi untuk melanjutkan.</source>
        <translation>Cancelled; run again to continue.</translation>
    </message>
</context>
<context>
    <name>BriefPage</name>
    <message>
        <source>Ceritakan video yang ingin Anda buat. Naskah disusun dari isian ini; fakta kunci pasti masuk ke narasi.</source>
        <translation>Describe the video you want to make. The script is built from these fields; the key facts always make it into the narration.</translation>
    </message>
    <message>
        <source>Tentang video</source>
        <translation>About the video</translation>
    </message>
    <message>
        <source>Judul yang muncul di kartu pembuka</source>
        <translation>The title shown on the opening card</translation>
    </message>
    <message>
        <source>mis. Kabupaten Sleman, DI Yogyakarta</source>
        <translation>e.g. Sleman Regency, Yogyakarta</translation>
    </message>
    <message>
        <source>Pilih tema atau tulis sendiri</source>
        <translation>Pick a theme or write your own</translation>
    </message>
    <message>
        <source>Narasi dalam bahasa daerah dengan subtitle Bahasa Indonesia: setiap adegan punya dua baris, dan juri membaca terjemahannya.</source>
        <translation>Narration in a regional language with Indonesian subtitles: every scene has two lines, and the jury reads the translation.</translation>
    </message>
    <message>
        <source>mis. pelajar SMA dan generasi muda</source>
        <translation>e.g. high-school students and young people</translation>
    </message>
    <message>
        <source>Satu fakta per baris. Fakta ini wajib ada di narasi.</source>
        <translation>One fact per line. These facts must appear in the narration.</translation>
    </message>
    <message>
        <source>Judul</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Daerah</source>
        <translation>Region</translation>
    </message>
    <message>
        <source>Tema</source>
        <translation>Theme</translation>
    </message>
    <message>
        <source>Bahasa narasi</source>
        <translation>Narration language</translation>
    </message>
    <message>
        <source>Bahasa subtitle</source>
        <translation>Subtitle language</translation>
    </message>
    <message>
        <source>Penonton</source>
        <translation>Audience</translation>
    </message>
    <message>
        <source>Fakta kunci</source>
        <translation>Key facts</translation>
    </message>
    <message>
        <source>Pembuat</source>
        <translation>Creator</translation>
    </message>
    <message>
        <source>mis. Dinas Kebudayaan Kabupaten …</source>
        <translation>e.g. Culture Office of … Regency</translation>
    </message>
    <message>
        <source>Nama pembuat</source>
        <translation>Creator&apos;s name</translation>
    </message>
    <message>
        <source>Instansi</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Ukuran gambar video. Ukuran kecil lebih cepat dirender (untuk uji coba), ukuran penuh untuk dikirim.</source>
        <translation>The video&apos;s frame size. Small sizes render faster (for trials), full size is for sending.</translation>
    </message>
    <message>
        <source>Lomba / platform</source>
        <translation>Contest / platform</translation>
    </message>
    <message>
        <source>Ukuran video</source>
        <translation>Video size</translation>
    </message>
    <message>
        <source>Tentang tema ini</source>
        <translation>About this theme</translation>
    </message>
    <message>
        <source>Sama dengan narasi</source>
        <translation>Same as the narration</translation>
    </message>
    <message>
        <source>Ada suara AI untuk bahasa ini: {0} (unduh di Model AI bila belum ada).</source>
        <translation>An AI voice reads this language: {0} (download it in AI Models if it is not here yet).</translation>
    </message>
    <message>
        <source>Belum ada suara AI untuk {0}: rekam atau impor narasi Anda sendiri di langkah Suara. Subtitle tetap dibuat dan diatur waktunya otomatis.</source>
        <translation>No AI voice reads {0} yet: record or import your own narration in the Voice step. Subtitles are still made and timed automatically.</translation>
    </message>
    <message>
        <source>penuh</source>
        <translation>full</translation>
    </message>
    <message>
        <source>lebih ringan</source>
        <translation>lighter</translation>
    </message>
    <message>
        <source>uji cepat</source>
        <translation>quick trial</translation>
    </message>
    <message>
        <source>Durasi {lo:g}–{hi:g} detik · video {w}×{h}</source>
        <translation>Length {lo:g}–{hi:g} s · video {w}×{h}</translation>
    </message>
    <message>
        <source>Tema bebas: naskah disusun dari judul, daerah dan fakta kunci Anda.</source>
        <translation>Free theme: the script is built from your title, region and key facts.</translation>
    </message>
    <message>
        <source>Pertanyaan untuk Anda isi di fakta kunci:</source>
        <translation>Questions to answer in the key facts:</translation>
    </message>
    <message>
        <source>judul</source>
        <translation>title</translation>
    </message>
    <message>
        <source>daerah</source>
        <translation>region</translation>
    </message>
    <message>
        <source>tema</source>
        <translation>theme</translation>
    </message>
    <message>
        <source>Isi dulu: {fields}. Isian ini dipakai naskah dan diwajibkan lomba.</source>
        <translation>Fill in first: {fields}. The script uses them and the contest requires them.</translation>
    </message>
</context>
<context>
    <name>ClarityMixin</name>
    <message>
        <source>Unduh suara AI yang lebih jelas…</source>
        <translation>Download a clearer AI voice…</translation>
    </message>
    <message>
        <source>Rekam suara sendiri</source>
        <translation>Record your own voice</translation>
    </message>
    <message>
        <source>⚠ Suara sulit dipahami di adegan {scenes}: Whisper hanya mengenali {share} kata naskahnya, jadi juri pun mungkin sulit menangkapnya. Pakai suara AI yang lebih jelas, atau rekam suara Anda sendiri (seluruh video, atau ● Rekam di adegan itu).</source>
        <translation>⚠ Voice hard to understand in scene {scenes}: Whisper recognised only {share} of the script&apos;s words, so the jury may struggle too. Use a clearer AI voice, or record your own voice (the whole video, or ● Record in that scene).</translation>
    </message>
    <message>
        <source>Suara sulit dipahami: Whisper mengenali {share} kata.</source>
        <translation>Voice hard to understand: Whisper recognised {share} of the words.</translation>
    </message>
</context>
<context>
    <name>ClipPanel</name>
    <message>
        <source>Titik awal: panah atas/bawah menggeser satu bingkai (mm:dd,bb)</source>
        <translation>In point: the up/down arrows move one frame (mm:ss.ff)</translation>
    </message>
    <message>
        <source>Titik akhir: panah atas/bawah menggeser satu bingkai (mm:dd,bb)</source>
        <translation>Out point: the up/down arrows move one frame (mm:ss.ff)</translation>
    </message>
    <message>
        <source>Awal–akhir</source>
        <translation>In–out</translation>
    </message>
    <message>
        <source>Bisukan</source>
        <translation>Mute</translation>
    </message>
    <message>
        <source>Pertahankan</source>
        <translation>Keep</translation>
    </message>
    <message>
        <source>Rendahkan di bawah narasi</source>
        <translation>Duck under the narration</translation>
    </message>
    <message>
        <source>Suara klip</source>
        <translation>Clip sound</translation>
    </message>
    <message>
        <source>Potong memenuhi bingkai</source>
        <translation>Crop to fill the frame</translation>
    </message>
    <message>
        <source>Utuh di atas latar buram</source>
        <translation>Whole, over a blurred fill</translation>
    </message>
    <message>
        <source>Penempatan</source>
        <translation>Fit</translation>
    </message>
    <message>
        <source>Kecepatan</source>
        <translation>Speed</translation>
    </message>
    <message>
        <source>tahan bingkai terakhir</source>
        <translation>hold the last frame</translation>
    </message>
    <message>
        <source>perlambat</source>
        <translation>slow down</translation>
    </message>
    <message>
        <source>Bila klip lebih pendek dari adegan (narasinya). Bawaan: tahan bingkai terakhir. Memperlambat tidak pernah di bawah 0,5×.</source>
        <translation>When the clip is shorter than its scene (its narration). Default: hold the last frame. Slowing down never goes below 0.5×.</translation>
    </message>
    <message>
        <source>Klip lebih pendek</source>
        <translation>Shorter clip</translation>
    </message>
    <message>
        <source>Klip lebih pendek dari adegan: {what} (bawaan).</source>
        <translation>Clip shorter than the scene: {what} (default).</translation>
    </message>
    <message>
        <source>Klip ini tidak punya suara sendiri.</source>
        <translation>This clip has no sound of its own.</translation>
    </message>
    <message>
        <source>diputar {n}°</source>
        <translation>rotated {n}°</translation>
    </message>
    <message>
        <source>tayang {value}</source>
        <translation>plays {value}</translation>
    </message>
</context>
<context>
    <name>CutDialog</name>
    <message>
        <source>Potong rekaman panjang</source>
        <translation>Cut a long recording</translation>
    </message>
    <message>
        <source>{name}: mencari pergantian gambar…</source>
        <translation>{name}: looking for shot changes…</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Titik potong (detik; klik dua kali untuk mengubah)</source>
        <translation>Cut points (seconds; double-click to change)</translation>
    </message>
    <message>
        <source>Tambah titik</source>
        <translation>Add point</translation>
    </message>
    <message>
        <source>Hapus titik</source>
        <translation>Remove point</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Potong ke adegan</source>
        <translation>Cut into scenes</translation>
    </message>
    <message>
        <source>Pencarian dibatalkan; tambahkan titik potong sendiri.</source>
        <translation>Search cancelled; add cut points yourself.</translation>
    </message>
    <message>
        <source>{name}: {n} pergantian gambar ditemukan. Periksa, ubah bila perlu, lalu potong.</source>
        <translation>{name}: {n} shot changes found. Check them, change them if needed, then cut.</translation>
    </message>
    <message>
        <source>Setiap titik potong ditulis dalam detik, misalnya 12,5 atau 1:05,5.</source>
        <translation>Write each cut point in seconds, for example 12.5 or 1:05.5.</translation>
    </message>
    <message>
        <source>Bagian {n}: {a}–{b} dtk → Adegan {n}</source>
        <translation>Part {n}: {a}–{b} s → Scene {n}</translation>
    </message>
    <message>
        <source>Memotong {name} ke {n} adegan…</source>
        <translation>Cutting {name} into {n} scenes…</translation>
    </message>
    <message>
        <source>Pemotongan dibatalkan.</source>
        <translation>Cutting cancelled.</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Memori komputer tidak cukup. Tutup aplikasi lain lalu coba lagi; untuk gambar AI, pilih ukuran lebih kecil di Pengaturan.</source>
        <translation>The computer ran out of memory. Close other applications and try again; for AI images, choose a smaller size in Settings.</translation>
    </message>
    <message>
        <source>Terjadi kesalahan yang tidak terduga ({name}). Simpan proyek, lalu coba lagi. Jika berulang, salin detail dan kirimkan ke pelatih atau tim pendukung.</source>
        <translation>An unexpected error happened ({name}). Save the project, then try again. If it happens again, copy the details and send them to your trainer or the support team.</translation>
    </message>
    <message>
        <source>Tidak berhasil</source>
        <translation>Did not succeed</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Komputer ini tidak punya pengelola berkas yang bisa membuka folder ini. Bukalah sendiri: {path}</source>
        <translation>This computer has no file manager that can open this folder. Open it yourself: {path}</translation>
    </message>
    <message>
        <source>Komputer ini tidak punya aplikasi yang bisa membuka berkas ini. Bukalah sendiri: {path}</source>
        <translation>This computer has no application that can open this file. Open it yourself: {path}</translation>
    </message>
    <message>
        <source>Tidak bisa dibuka dari sini</source>
        <translation>Cannot be opened from here</translation>
    </message>
</context>
<context>
    <name>DurationMeter</name>
    <message>
        <source>Durasi {approx}{value} · target {lo}–{hi}</source>
        <translation>Length {approx}{value} · target {lo}–{hi}</translation>
    </message>
    <message>
        <source>(perkiraan)</source>
        <translation>(estimate)</translation>
    </message>
</context>
<context>
    <name>EngineChoiceMixin</name>
    <message>
        <source>Sesuai Pengaturan ({name})</source>
        <translation>As in Settings ({name})</translation>
    </message>
    <message>
        <source>Mesin ini tidak bisa mengubah nada.</source>
        <translation>This engine cannot change the pitch.</translation>
    </message>
    <message>
        <source>Pilih berkas suara…</source>
        <translation>Choose voice file…</translation>
    </message>
    <message>
        <source>Pilih folder model…</source>
        <translation>Choose model folder…</translation>
    </message>
    <message>
        <source>Unduh {name} ({size})</source>
        <translation>Download {name} ({size})</translation>
    </message>
    <message>
        <source>Unduh model?</source>
        <translation>Download the model?</translation>
    </message>
    <message>
        <source>{name}: sekitar {size} MB, lisensi {licence}. Unduh sekarang?</source>
        <translation>{name}: about {size} MB, licence {licence}. Download now?</translation>
    </message>
    <message>
        <source>Unduh</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Pilih suara Piper (.onnx)</source>
        <translation>Choose a Piper voice (.onnx)</translation>
    </message>
    <message>
        <source>Pilih folder model MMS-TTS</source>
        <translation>Choose the MMS-TTS model folder</translation>
    </message>
</context>
<context>
    <name>EngineFacts</name>
    <message>
        <source>±{s} dtk</source>
        <translation>about {s} s</translation>
    </message>
    <message>
        <source>±{m} menit</source>
        <translation>about {m} min</translation>
    </message>
    <message>
        <source>±{m} menit {s} dtk</source>
        <translation>about {m} min {s} s</translation>
    </message>
    <message>
        <source>Perkiraan kasar: {time} untuk naskah {video}</source>
        <translation>Rough estimate: {time} for a {video} script</translation>
    </message>
    <message>
        <source>Dihitung dari ukuran model dan prosesor sampai naskah pertama selesai di komputer ini; setelah itu dari kecepatan yang terukur.</source>
        <translation>Worked out from the model&apos;s size and the processor until the first script is written on this computer; from the measured speed after that.</translation>
    </message>
    <message>
        <source>Perkiraan: {time} untuk naskah {video}</source>
        <translation>Estimate: {time} for a {video} script</translation>
    </message>
    <message>
        <source>Diukur dari {n} naskah terakhir dengan model ini di komputer ini.</source>
        <translation>Measured from the last {n} scripts with this model on this computer.</translation>
    </message>
    <message>
        <source>{n} inti prosesor</source>
        <translation>{n} processor cores</translation>
    </message>
    <message>
        <source>semua inti prosesor</source>
        <translation>all processor cores</translation>
    </message>
    <message>
        <source>ONNX Runtime GenAI atau OpenVINO GenAI (menurut folder model)</source>
        <translation>ONNX Runtime GenAI or OpenVINO GenAI (by the model folder)</translation>
    </message>
    <message>
        <source>bobot int4</source>
        <translation>int4 weights</translation>
    </message>
    <message>
        <source>bobot {p}</source>
        <translation>{p} weights</translation>
    </message>
    <message>
        <source>OpenVINO (dipilih otomatis: model yang sama, lebih cepat di sini), {p}, {cores}</source>
        <translation>OpenVINO (chosen automatically: the same model, faster here), {p}, {cores}</translation>
    </message>
    <message>
        <source>CPU: sedang diperiksa…</source>
        <translation>CPU: checking…</translation>
    </message>
    <message>
        <source>tanpa AVX2</source>
        <translation>no AVX2</translation>
    </message>
    <message>
        <source>Prosesor ini mendukung perhitungan bf16 cepat: gambar dan naskah AI berjalan pada kecepatan penuh.</source>
        <translation>This processor does fast bf16 arithmetic: AI pictures and scripts run at full speed.</translation>
    </message>
    <message>
        <source>Prosesor ini punya perkalian int8 cepat (VNNI): naskah int4 cepat; gambar memakai fp32.</source>
        <translation>This processor has fast int8 multiplication (VNNI): int4 scripts are fast; pictures use fp32.</translation>
    </message>
    <message>
        <source>Laptop biasa: AVX2. Naskah int4 tetap lancar; gambar AI lebih lambat.</source>
        <translation>An ordinary laptop: AVX2. int4 scripts still run smoothly; AI pictures are slower.</translation>
    </message>
    <message>
        <source>Prosesor ARM (NEON): AI lokal berjalan, lebih lambat daripada di prosesor dengan AVX-512.</source>
        <translation>An ARM processor (NEON): local AI runs, more slowly than on a processor with AVX-512.</translation>
    </message>
    <message>
        <source>Prosesor tanpa AVX2: AI lokal akan lambat; pertimbangkan server kelas.</source>
        <translation>A processor without AVX2: local AI will be slow; consider the class server.</translation>
    </message>
    <message>
        <source>{runtimes} dibatasi sampai {value} oleh {var}</source>
        <translation>{runtimes} limited to {value} by {var}</translation>
    </message>
    <message>
        <source>(tidak dipakai: {features}).</source>
        <translation>(not used: {features}).</translation>
    </message>
    <message>
        <source>Perkiraan waktu muncul setelah model dipilih.</source>
        <translation>The expected time appears once a model is chosen.</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Tampilkan detail</source>
        <translation>Show details</translation>
    </message>
    <message>
        <source>Salin detail</source>
        <translation>Copy details</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Sembunyikan detail</source>
        <translation>Hide details</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <source>Periksa video sebelum dikirim. Ekspor menulis MP4, subtitle, gambar mini, dan laporan penggunaan AI dalam satu folder.</source>
        <translation>Check the video before you send it. Export writes the MP4, subtitles, a thumbnail and the AI-usage report into one folder.</translation>
    </message>
    <message>
        <source>Ekspor video</source>
        <translation>Export video</translation>
    </message>
    <message>
        <source>Buka folder</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <source>Lihat laporan AI</source>
        <translation>View the AI report</translation>
    </message>
    <message>
        <source>Buka laporan PDF</source>
        <translation>Open PDF report</translation>
    </message>
    <message>
        <source>Putar video</source>
        <translation>Play video</translation>
    </message>
    <message>
        <source>Daftar periksa aturan</source>
        <translation>Rule checklist</translation>
    </message>
    <message>
        <source>Video {w}×{h}, {fps} fps · preset: {preset}</source>
        <translation>Video {w}×{h}, {fps} fps · preset: {preset}</translation>
    </message>
    <message>
        <source>Belum bisa diekspor: {label}.</source>
        <translation>Cannot export yet: {label}.</translation>
    </message>
    <message>
        <source>Belum bisa diekspor: {label} dan {n} aturan lain.</source>
        <translation>Cannot export yet: {label} and {n} other rules.</translation>
    </message>
    <message>
        <source>Lihat daftar periksa.</source>
        <translation>See the checklist.</translation>
    </message>
    <message>
        <source>Hasil pemeriksaan berkas video</source>
        <translation>Checks on the video file</translation>
    </message>
    <message>
        <source>Pemeriksaan aturan belum tersedia.</source>
        <translation>Rule checks are not available yet.</translation>
    </message>
    <message>
        <source>Video terakhir: {path}</source>
        <translation>Latest video: {path}</translation>
    </message>
    <message>
        <source>Video siap dikirim.</source>
        <translation>The video is ready to send.</translation>
    </message>
    <message>
        <source>⟳ Proyek sudah berubah sejak ekspor ini; ekspor lagi untuk memperbarui.</source>
        <translation>⟳ The project changed since this export; export again to update it.</translation>
    </message>
    <message>
        <source>Ada aturan yang belum terpenuhi.</source>
        <translation>Some rules are not met yet.</translation>
    </message>
    <message>
        <source>sah, penerbitnya dipercaya</source>
        <translation>valid, its issuer is trusted</translation>
    </message>
    <message>
        <source>sah (penerbit sertifikat belum terdaftar tepercaya)</source>
        <translation>valid (the certificate&apos;s issuer is not listed as trusted)</translation>
    </message>
    <message>
        <source>Content Credentials ditandatangani oleh {signer} ({issuer}); diperiksa ulang dari berkas: {verdict}.</source>
        <translation>Content Credentials signed by {signer} ({issuer}); checked again from the file: {verdict}.</translation>
    </message>
</context>
<context>
    <name>FindingRow</name>
    <message>
        <source>Perbaiki di {step}</source>
        <translation>Fix in {step}</translation>
    </message>
    <message>
        <source>Unduh model gambar…</source>
        <translation>Download an image model…</translation>
    </message>
</context>
<context>
    <name>FitCard</name>
    <message>
        <source>Durasi video</source>
        <translation>Video length</translation>
    </message>
    <message>
        <source>Video {total} — lebih panjang dari batas {lo}–{hi}.</source>
        <translation>The video is {total}, longer than the {lo}–{hi} limit.</translation>
    </message>
    <message>
        <source>Video {total} — lebih pendek dari batas {lo}–{hi}.</source>
        <translation>The video is {total}, shorter than the {lo}–{hi} limit.</translation>
    </message>
    <message>
        <source>(Sebagian adegan belum bersuara atau narasinya sudah diubah: panjangnya masih perkiraan.)</source>
        <translation>(Some scenes have no voice yet or their narration was changed: the length is still an estimate.)</translation>
    </message>
    <message>
        <source>Pilihan perbaikan (hasilnya terlihat sebelum diterapkan):</source>
        <translation>Ways to fix it (each shows its result before you apply it):</translation>
    </message>
    <message>
        <source>Terapkan tempo</source>
        <translation>Apply tempo</translation>
    </message>
    <message>
        <source>Ubah naskah</source>
        <translation>Edit the script</translation>
    </message>
</context>
<context>
    <name>ImageCard</name>
    <message>
        <source>Adegan {n}</source>
        <translation>Scene {n}</translation>
    </message>
    <message>
        <source>Prompt gambar</source>
        <translation>Image prompt</translation>
    </message>
    <message>
        <source>Gerak</source>
        <translation>Motion</translation>
    </message>
    <message>
        <source>Gerak kamera pelan (efek Ken Burns) pada adegan ini</source>
        <translation>Slow camera move (Ken Burns effect) in this scene</translation>
    </message>
    <message>
        <source>Buat ulang</source>
        <translation>Remake</translation>
    </message>
    <message>
        <source>Buat ulang gambar dari prompt di atas</source>
        <translation>Remake the image from the prompt above</translation>
    </message>
    <message>
        <source>Variasi baru</source>
        <translation>New variation</translation>
    </message>
    <message>
        <source>Gambar lain dari prompt yang sama (seed baru)</source>
        <translation>Another image from the same prompt (new seed)</translation>
    </message>
    <message>
        <source>Foto sendiri…</source>
        <translation>Own photo…</translation>
    </message>
    <message>
        <source>Video…</source>
        <translation>Video…</translation>
    </message>
    <message>
        <source>Pakai klip video Anda sendiri (MP4, MOV, MKV, WebM, 3GP) untuk adegan ini. Bisa juga: seret berkas foto atau video ke kartu ini.</source>
        <translation>Use your own video clip (MP4, MOV, MKV, WebM, 3GP) for this scene. You can also drag a photo or video file onto this card.</translation>
    </message>
    <message>
        <source>Lepas video</source>
        <translation>Remove video</translation>
    </message>
    <message>
        <source>Lepas klip dari adegan ini; gambarnya (bila ada) tampil lagi</source>
        <translation>Take the clip off this scene; its picture (if any) shows again</translation>
    </message>
    <message>
        <source>Asal gambar atau video yang Anda impor: karya sendiri, atau dibuat dengan alat AI lain (Bing Image Creator, Meta AI, Canva, CapCut…).</source>
        <translation>Where the picture or video you import came from: your own work, or made with another AI tool (Bing Image Creator, Meta AI, Canva, CapCut…).</translation>
    </message>
    <message>
        <source>Belum ada</source>
        <translation>None yet</translation>
    </message>
    <message>
        <source>Belum ada gambar</source>
        <translation>No image yet</translation>
    </message>
    <message>
        <source>Model: {name}</source>
        <translation>Model: {name}</translation>
    </message>
    <message>
        <source>Perlu diperbarui: prompt atau pengaturan berubah.</source>
        <translation>Needs updating: the prompt or settings changed.</translation>
    </message>
    <message>
        <source>Prompt disesuaikan oleh aturan keamanan: {changes}.</source>
        <translation>Prompt adjusted by the safety rules: {changes}.</translation>
    </message>
    <message>
        <source>Berkas gambar tidak terbaca</source>
        <translation>The image file cannot be read</translation>
    </message>
    <message>
        <source>Pilih foto untuk adegan ini</source>
        <translation>Choose a photo for this scene</translation>
    </message>
    <message>
        <source>Pilih video untuk adegan ini</source>
        <translation>Choose a video for this scene</translation>
    </message>
    <message>
        <source>Video tidak terbaca</source>
        <translation>The video cannot be read</translation>
    </message>
    <message>
        <source>Klik pada gambar untuk memilih bagian yang tetap terlihat saat klip dipotong memenuhi bingkai.</source>
        <translation>Click the picture to choose the part that stays in view when the clip is cropped to fill the frame.</translation>
    </message>
</context>
<context>
    <name>ImagesPage</name>
    <message>
        <source>Satu gambar atau video per adegan. Buat gambar dengan AI, atau pakai foto dan video Anda sendiri (tombol, atau seret berkasnya ke kartu).</source>
        <translation>One picture or video per scene. Make pictures with AI, or use your own photos and videos (a button, or drag the file onto the card).</translation>
    </message>
    <message>
        <source>Buat semua gambar</source>
        <translation>Make all images</translation>
    </message>
    <message>
        <source>Membuat gambar yang belum ada atau perlu diperbarui (Ctrl+Enter)</source>
        <translation>Makes the images that are missing or out of date (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Potong rekaman panjang…</source>
        <translation>Cut a long recording…</translation>
    </message>
    <message>
        <source>Satu video panjang dipotong menjadi adegan 1, 2, 3… di titik pergantian gambar</source>
        <translation>One long video cut into scenes 1, 2, 3… where the shot changes</translation>
    </message>
    <message>
        <source>Gaya gambar</source>
        <translation>Image style</translation>
    </message>
    <message>
        <source>Perbesar ke ukuran video (tanpa AI)</source>
        <translation>Enlarge to the video size (no AI)</translation>
    </message>
    <message>
        <source>Gambar baru diperbesar ke ukuran bingkai video (Lanczos + penajaman ringan) saat dibuat. Tidak menambah detail, hanya tepi yang lebih tajam; tercatat di laporan AI.</source>
        <translation>New pictures are enlarged to the video frame size (Lanczos + light sharpening) when they are made. It adds no detail, only sharper edges; it is recorded in the AI report.</translation>
    </message>
    <message>
        <source>Mesin gambar: {name}</source>
        <translation>Image engine: {name}</translation>
    </message>
    <message>
        <source>Belum ada adegan. Buat naskah dulu di langkah Naskah.</source>
        <translation>No scenes yet. Write the script first in the Script step.</translation>
    </message>
    <message>
        <source>Pilih rekaman panjang</source>
        <translation>Choose a long recording</translation>
    </message>
    <message>
        <source>Buat gambar</source>
        <translation>Make images</translation>
    </message>
</context>
<context>
    <name>IndicatorsMixin</name>
    <message>
        <source>Belum ada proyek terbuka</source>
        <translation>No project open</translation>
    </message>
    <message>
        <source>Tanpa judul</source>
        <translation>Untitled</translation>
    </message>
</context>
<context>
    <name>JobBar</name>
    <message>
        <source>Batalkan (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>Semua langkah {i}/{n}: {step}</source>
        <translation>All steps {i}/{n}: {step}</translation>
    </message>
    <message>
        <source>Menyiapkan…</source>
        <translation>Preparing…</translation>
    </message>
    <message>
        <source>Membatalkan…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>Berhenti setelah bagian yang sedang dikerjakan…</source>
        <translation>Stopping after the part in progress…</translation>
    </message>
</context>
<context>
    <name>JuryDialog</name>
    <message>
        <source>Juri: tabel karya lomba</source>
        <translation>Jury: table of contest entries</translation>
    </message>
    <message>
        <source>Pilih folder karya…</source>
        <translation>Choose a folder of entries…</translation>
    </message>
    <message>
        <source>Aturan lomba</source>
        <translation>Contest rules</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Hentikan pemeriksaan; karya yang sudah diperiksa tidak diperiksa ulang lain kali.</source>
        <translation>Stop checking; the entries already checked are not checked again next time.</translation>
    </message>
    <message>
        <source>%v dari %m karya</source>
        <translation>%v of %m entries</translation>
    </message>
    <message>
        <source>Pilih satu karya untuk melihat temuan dan laporannya.</source>
        <translation>Select an entry to see its findings and report.</translation>
    </message>
    <message>
        <source>Pilih folder karya lomba</source>
        <translation>Choose the folder of contest entries</translation>
    </message>
    <message>
        <source>Memeriksa {folder}…</source>
        <translation>Checking {folder}…</translation>
    </message>
    <message>
        <source>{n} karya, {failed} tidak lolos.</source>
        <translation>{n} entries, {failed} failed.</translation>
    </message>
    <message>
        <source>Menghentikan setelah karya yang sedang diperiksa…</source>
        <translation>Stopping after the entry being checked…</translation>
    </message>
    <message>
        <source>Dibatalkan. Karya yang sudah diperiksa disimpan; buka folder ini lagi untuk melanjutkan.</source>
        <translation>Cancelled. The entries already checked are kept; open this folder again to continue.</translation>
    </message>
    <message>
        <source>Temuan</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>Laporan AI</source>
        <translation>AI report</translation>
    </message>
    <message>
        <source>Tidak ada laporan AI.</source>
        <translation>No AI report.</translation>
    </message>
    <message>
        <source>Lolos</source>
        <translation>Passed</translation>
    </message>
    <message>
        <source>Tidak lolos</source>
        <translation>Failed</translation>
    </message>
</context>
<context>
    <name>JuryModel</name>
    <message>
        <source>Kolom CSV: {name}</source>
        <translation>CSV column: {name}</translation>
    </message>
    <message>
        <source>tidak ada</source>
        <translation>none</translation>
    </message>
    <message>
        <source>sah</source>
        <translation>valid</translation>
    </message>
    <message>
        <source>tidak sah</source>
        <translation>invalid</translation>
    </message>
    <message>
        <source>utuh</source>
        <translation>intact</translation>
    </message>
    <message>
        <source>diubah</source>
        <translation>tampered</translation>
    </message>
    <message>
        <source>tidak lengkap</source>
        <translation>incomplete</translation>
    </message>
    <message>
        <source>bukan paket</source>
        <translation>not a bundle</translation>
    </message>
    <message>
        <source>Karya</source>
        <translation>Entry</translation>
    </message>
    <message>
        <source>Lolos</source>
        <translation>Passed</translation>
    </message>
    <message>
        <source>Aturan gagal</source>
        <translation>Failed rules</translation>
    </message>
    <message>
        <source>Durasi (dtk)</source>
        <translation>Duration (s)</translation>
    </message>
    <message>
        <source>Alat AI</source>
        <translation>AI tools</translation>
    </message>
    <message>
        <source>Keutuhan paket</source>
        <translation>Bundle integrity</translation>
    </message>
    <message>
        <source>C2PA</source>
        <translation>C2PA</translation>
    </message>
    <message>
        <source>Duplikat dari</source>
        <translation>Duplicate of</translation>
    </message>
    <message>
        <source>ya</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>tidak</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>LaunchMixin</name>
    <message>
        <source>Proyek terakhir dibuka lagi: {name}</source>
        <translation>The last project is open again: {name}</translation>
    </message>
    <message>
        <source>Proyek “{name}” punya perubahan yang belum tersimpan (aplikasi tertutup mendadak). Buka dan pulihkan sekarang?</source>
        <translation>The project “{name}” has unsaved changes (the app closed unexpectedly). Open and restore it now?</translation>
    </message>
    <message>
        <source>Buka dan pulihkan</source>
        <translation>Open and restore</translation>
    </message>
    <message>
        <source>Nanti saja</source>
        <translation>Not now</translation>
    </message>
    <message>
        <source>Semua langkah sudah selesai; tinggal ekspor.</source>
        <translation>Every step is done; only the export is left.</translation>
    </message>
    <message>
        <source>Semua langkah selesai. Periksa lalu ekspor video.</source>
        <translation>All steps are done. Check, then export the video.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Tersimpan otomatis</source>
        <translation>Autosaved</translation>
    </message>
    <message>
        <source>Simpan salinan ke…</source>
        <translation>Save a copy to…</translation>
    </message>
    <message>
        <source>Belum disimpan</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>Jalankan semua langkah</source>
        <translation>Run every step</translation>
    </message>
    <message>
        <source>Naskah, Gambar, Suara, Subtitle dan Musik yang belum ada atau perlu diperbarui, berurutan (Ctrl+Shift+Enter)</source>
        <translation>Script, Images, Voice, Subtitles and Music that are missing or out of date, in order (Ctrl+Shift+Enter)</translation>
    </message>
    <message>
        <source>Tersimpan</source>
        <translation>Saved</translation>
    </message>
    <message>
        <source>{step}: selesai.</source>
        <translation>{step}: done.</translation>
    </message>
    <message>
        <source>{step}: dibatalkan. Yang sudah selesai tetap tersimpan.</source>
        <translation>{step}: cancelled. What was finished is kept.</translation>
    </message>
    <message>
        <source>Ekspor dihentikan: {n} aturan belum terpenuhi. Lihat daftar periksa.</source>
        <translation>Export stopped: {n} rules are not met yet. See the checklist.</translation>
    </message>
    <message>
        <source>Proyek belum tersimpan</source>
        <translation>The project was not saved</translation>
    </message>
    <message>
        <source>{step} belum bisa dijalankan</source>
        <translation>{step} cannot run yet</translation>
    </message>
    <message>
        <source>{step} tidak berhasil</source>
        <translation>{step} did not succeed</translation>
    </message>
    <message>
        <source>Pulihkan perubahan yang belum tersimpan? Ada simpanan otomatis yang lebih baru dari proyek ini (mungkin aplikasi tertutup mendadak).</source>
        <translation>Restore unsaved changes? There is an autosave newer than this project (the app may have closed unexpectedly).</translation>
    </message>
    <message>
        <source>Pulihkan</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>Abaikan</source>
        <translation>Dismiss</translation>
    </message>
    <message>
        <source>Pilih folder proyek</source>
        <translation>Choose the project folder</translation>
    </message>
    <message>
        <source>Proyek disimpan.</source>
        <translation>Project saved.</translation>
    </message>
    <message>
        <source>Pekerjaan sedang berjalan</source>
        <translation>A job is running</translation>
    </message>
    <message>
        <source>Pekerjaan {step} sedang berjalan: hentikan dan tutup? Bagian yang sudah selesai tetap disimpan.</source>
        <translation>The {step} job is running: stop it and close? What it already finished is kept.</translation>
    </message>
    <message>
        <source>Hentikan dan tutup</source>
        <translation>Stop and close</translation>
    </message>
    <message>
        <source>Menghentikan {step}… jendela akan tertutup sendiri.</source>
        <translation>Stopping {step}… the window will close by itself.</translation>
    </message>
    <message>
        <source>Perubahan belum tersimpan</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>Proyek ini tidak bisa disimpan di foldernya. Simpan salinannya ke folder lain sebelum keluar?</source>
        <translation>This project cannot be saved in its folder. Save a copy to another folder before quitting?</translation>
    </message>
    <message>
        <source>Keluar tanpa menyimpan</source>
        <translation>Quit without saving</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MenusMixin</name>
    <message>
        <source>&amp;Berkas</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Proyek baru…</source>
        <translation>New project…</translation>
    </message>
    <message>
        <source>Buka proyek…</source>
        <translation>Open project…</translation>
    </message>
    <message>
        <source>Buka proyek contoh</source>
        <translation>Open the sample project</translation>
    </message>
    <message>
        <source>Buka folder kelas…</source>
        <translation>Open class folder…</translation>
    </message>
    <message>
        <source>Simpan</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Simpan salinan ke…</source>
        <translation>Save a copy to…</translation>
    </message>
    <message>
        <source>Pengaturan…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Keluar</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>&amp;Langkah</source>
        <translation>&amp;Steps</translation>
    </message>
    <message>
        <source>Jalankan langkah ini</source>
        <translation>Run this step</translation>
    </message>
    <message>
        <source>Jalankan semua langkah</source>
        <translation>Run every step</translation>
    </message>
    <message>
        <source>Ekspor video</source>
        <translation>Export video</translation>
    </message>
    <message>
        <source>Batalkan pekerjaan</source>
        <translation>Cancel the job</translation>
    </message>
    <message>
        <source>Lanjut ke langkah berikutnya</source>
        <translation>Go to the next step</translation>
    </message>
    <message>
        <source>&amp;Tampilan</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>Mode presentasi (huruf besar)</source>
        <translation>Presentation mode (large text)</translation>
    </message>
    <message>
        <source>Ba&amp;ntuan</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Pintasan papan ketik</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Ctrl+N  proyek baru
Ctrl+O  buka proyek
Ctrl+S  simpan
Ctrl+Enter  jalankan langkah ini
Ctrl+E  ekspor
Esc  batalkan pekerjaan
Alt+0 … Alt+7 (atau F2 … F8)  pindah langkah
Ctrl+PgDown  lanjut
F11  mode presentasi
Ctrl+,  pengaturan</source>
        <translation>Ctrl+N  new project
Ctrl+O  open project
Ctrl+S  save
Ctrl+Enter  run this step
Ctrl+E  export
Esc  cancel the job
Alt+0 … Alt+7 (or F2 … F8)  go to a step
Ctrl+PgDown  next
F11  presentation mode
Ctrl+,  settings</translation>
    </message>
</context>
<context>
    <name>MicRecorder</name>
    <message>
        <source>Tidak ada mikrofon yang terdeteksi. Sambungkan mikrofon (atau izinkan akses mikrofon di pengaturan sistem), lalu coba lagi. Anda juga bisa merekam dengan ponsel lalu memakai “Impor…”.</source>
        <translation>No microphone was found. Connect a microphone (or allow microphone access in the system settings), then try again. You can also record with a phone and use “Import…”.</translation>
    </message>
    <message>
        <source>Rekaman tidak tersimpan. Periksa mikrofon lalu coba lagi.</source>
        <translation>The recording was not saved. Check the microphone and try again.</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>Model AI</source>
        <translation>AI models</translation>
    </message>
    <message>
        <source>Model yang dikenal Studio Lokal, kegunaannya, ukuran dan lisensinya, serta di mana model itu ada di komputer ini. Tidak ada yang diunduh tanpa Anda minta; model yang sudah ada di flashdisk bisa langsung dipakai lewat “Pakai folder…”.</source>
        <translation>The models Studio Lokal knows, what they are for, their size and licence, and where they are on this computer. Nothing is downloaded unless you ask; a model already on a USB stick can be used straight away with “Use folder…”.</translation>
    </message>
    <message>
        <source>Alamat unduhan</source>
        <translation>Download address</translation>
    </message>
    <message>
        <source>Kosong: huggingface.co. Bisa diisi cermin (mis. https://hf-mirror.com) atau server lokal pelatih dengan susunan yang sama.</source>
        <translation>Empty: huggingface.co. You can enter a mirror (e.g. https://hf-mirror.com) or a trainer&apos;s local server with the same layout.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Untuk</source>
        <translation>For</translation>
    </message>
    <message>
        <source>Ukuran</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Lisensi</source>
        <translation>Licence</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Unduh</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Pakai folder…</source>
        <translation>Use folder…</translation>
    </message>
    <message>
        <source>Salin ke folder aplikasi</source>
        <translation>Copy into the app folder</translation>
    </message>
    <message>
        <source>Tanpa centang, folder itu dirujuk di tempatnya (hemat ruang disk); centang bila flashdisk akan dicabut.</source>
        <translation>Unticked, the folder is used where it is (saves disk space); tick it if the USB stick will be removed.</translation>
    </message>
    <message>
        <source>Periksa</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Periksa ukuran dan checksum setiap berkas model</source>
        <translation>Check the size and checksum of every model file</translation>
    </message>
    <message>
        <source>Konversi di komputer ini</source>
        <translation>Convert on this computer</translation>
    </message>
    <message>
        <source>Batalkan</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>folder aplikasi</source>
        <translation>app folder</translation>
    </message>
    <message>
        <source>folder pilihan Anda</source>
        <translation>your chosen folder</translation>
    </message>
    <message>
        <source>cache Hugging Face</source>
        <translation>Hugging Face cache</translation>
    </message>
    <message>
        <source>bawaan aplikasi</source>
        <translation>built into the app</translation>
    </message>
    <message>
        <source>Ada — {where}</source>
        <translation>Present — {where}</translation>
    </message>
    <message>
        <source>Belum lengkap — {why}</source>
        <translation>Incomplete — {why}</translation>
    </message>
    <message>
        <source>Belum ada</source>
        <translation>Not present</translation>
    </message>
    <message>
        <source>Lisensi: {licence}. Sumber: {source}.</source>
        <translation>Licence: {licence}. Source: {source}.</translation>
    </message>
    <message>
        <source>Belum ada di komputer ini.</source>
        <translation>Not on this computer yet.</translation>
    </message>
    <message>
        <source>Unduh lagi</source>
        <translation>Download again</translation>
    </message>
    <message>
        <source>Unduh {size} dari alamat unduhan di atas</source>
        <translation>Download {size} from the download address above</translation>
    </message>
    <message>
        <source>Buat model ini dari {base} yang sudah diunduh, dengan pengonversi runtime-nya sendiri (beberapa menit)</source>
        <translation>Make this model from the downloaded {base} with its runtime&apos;s own converter (a few minutes)</translation>
    </message>
    <message>
        <source>Menghentikan… bagian yang sudah selesai disimpan.</source>
        <translation>Stopping… the finished part is kept.</translation>
    </message>
    <message>
        <source>Dibatalkan. Bagian yang sudah terunduh disimpan; unduh lagi untuk melanjutkan.</source>
        <translation>Cancelled. What was downloaded is kept; download again to resume.</translation>
    </message>
    <message>
        <source>{name} siap di {folder}.</source>
        <translation>{name} is ready in {folder}.</translation>
    </message>
    <message>
        <source>Mengunduh {name}…</source>
        <translation>Downloading {name}…</translation>
    </message>
    <message>
        <source>{name} siap di {folder} dan dipakai untuk naskah lokal cepat.</source>
        <translation>{name} is ready in {folder} and used for the fast local script.</translation>
    </message>
    <message>
        <source>Mengonversi {name}…</source>
        <translation>Converting {name}…</translation>
    </message>
    <message>
        <source>Konversi dibatalkan; sisa konversi sudah dihapus.</source>
        <translation>Conversion cancelled; what it had started was removed.</translation>
    </message>
    <message>
        <source>Pilih folder {name}</source>
        <translation>Choose the {name} folder</translation>
    </message>
    <message>
        <source>{name} disalin ke {folder} dan dipakai dari sana.</source>
        <translation>{name} was copied to {folder} and is used from there.</translation>
    </message>
    <message>
        <source>{name} dipakai dari {folder} (jangan pindahkan folder itu).</source>
        <translation>{name} is used from {folder} (do not move that folder).</translation>
    </message>
    <message>
        <source>{name} bawaan aplikasi; disiapkan dan diperiksa saat pertama dipakai.</source>
        <translation>{name} comes with the app; it is prepared and checked when first used.</translation>
    </message>
    <message>
        <source>Utuh: {n} checksum cocok ({folder}).</source>
        <translation>Intact: {n} checksums match ({folder}).</translation>
    </message>
    <message>
        <source>{n} berkas tanpa checksum yang diketahui hanya diperiksa keberadaannya.</source>
        <translation>{n} files without a known checksum were only checked for presence.</translation>
    </message>
    <message>
        <source>Rusak atau tidak lengkap:</source>
        <translation>Damaged or incomplete:</translation>
    </message>
</context>
<context>
    <name>MusicPage</name>
    <message>
        <source>Musik latar diredam otomatis saat narasi berbicara, dan suara keseluruhan disetarakan ke standar platform (−14 LUFS).</source>
        <translation>The background music is lowered automatically while the narrator speaks, and the overall sound is levelled to the platform standard (−14 LUFS).</translation>
    </message>
    <message>
        <source>Sumber musik</source>
        <translation>Music source</translation>
    </message>
    <message>
        <source>Gamelan buatan Studio Lokal (tanpa AI, bebas royalti)</source>
        <translation>Gamelan made by Studio Lokal (no AI, royalty-free)</translation>
    </message>
    <message>
        <source>Musik saya sendiri (berkas, wajib dengan lisensi)</source>
        <translation>My own music (a file, licence required)</translation>
    </message>
    <message>
        <source>Tanpa musik</source>
        <translation>No music</translation>
    </message>
    <message>
        <source>Gamelan</source>
        <translation>Gamelan</translation>
    </message>
    <message>
        <source>Slendro (lima nada, cerah)</source>
        <translation>Slendro (five tones, bright)</translation>
    </message>
    <message>
        <source>Pelog (tujuh nada, khidmat)</source>
        <translation>Pelog (seven tones, solemn)</translation>
    </message>
    <message>
        <source>Laras</source>
        <translation>Tuning</translation>
    </message>
    <message>
        <source>Tempo</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <source>Buat musik</source>
        <translation>Make music</translation>
    </message>
    <message>
        <source>Variasi lain</source>
        <translation>Another variation</translation>
    </message>
    <message>
        <source>Musik sendiri</source>
        <translation>Own music</translation>
    </message>
    <message>
        <source>Belum dipilih</source>
        <translation>Not chosen yet</translation>
    </message>
    <message>
        <source>Pilih berkas…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>mis. CC BY 4.0 — nama pencipta, atau “karya sendiri”</source>
        <translation>e.g. CC BY 4.0 — composer&apos;s name, or “own work”</translation>
    </message>
    <message>
        <source>Pakai musik ini</source>
        <translation>Use this music</translation>
    </message>
    <message>
        <source>Berkas</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Lisensi</source>
        <translation>Licence</translation>
    </message>
    <message>
        <source>Asal musik yang Anda impor: karya sendiri, atau dibuat dengan alat AI lain (Suno, Udio…). Dicatat di log AI dan laporan.</source>
        <translation>Where the music you import came from: your own work, or made with another AI tool (Suno, Udio…). Recorded in the AI log and the report.</translation>
    </message>
    <message>
        <source>Volume musik</source>
        <translation>Music volume</translation>
    </message>
    <message>
        <source>Volume musik sebelum diredam di bawah narasi</source>
        <translation>Music volume before it is lowered under the narration</translation>
    </message>
    <message>
        <source>Putar musik</source>
        <translation>Play music</translation>
    </message>
    <message>
        <source>Pelan</source>
        <translation>Quiet</translation>
    </message>
    <message>
        <source>Keras</source>
        <translation>Loud</translation>
    </message>
    <message>
        <source>Musik yang dipakai: {file}</source>
        <translation>Music in use: {file}</translation>
    </message>
    <message>
        <source>lisensi: {lic}</source>
        <translation>licence: {lic}</translation>
    </message>
    <message>
        <source>asal: {origin}</source>
        <translation>origin: {origin}</translation>
    </message>
    <message>
        <source>Video tanpa musik latar.</source>
        <translation>Video without background music.</translation>
    </message>
    <message>
        <source>Musik belum dibuat.</source>
        <translation>The music has not been made yet.</translation>
    </message>
    <message>
        <source>Isi lisensi musik dulu</source>
        <translation>Fill in the music licence first</translation>
    </message>
    <message>
        <source>Pilih berkas musik</source>
        <translation>Choose a music file</translation>
    </message>
    <message>
        <source>Membuat musik…</source>
        <translation>Making the music…</translation>
    </message>
    <message>
        <source>Memasang musik Anda…</source>
        <translation>Adding your music…</translation>
    </message>
    <message>
        <source>✓ Musik selesai dibuat: {file}. Tekan “Putar musik” untuk mendengarkan.</source>
        <translation>✓ The music is ready: {file}. Press “Play music” to listen.</translation>
    </message>
    <message>
        <source>✓ Musik Anda terpasang: {file}.</source>
        <translation>✓ Your music is in: {file}.</translation>
    </message>
    <message>
        <source>Pembuatan musik dibatalkan.</source>
        <translation>Making the music was cancelled.</translation>
    </message>
    <message>
        <source>Musik belum berhasil dibuat; lihat pesan kesalahan.</source>
        <translation>The music could not be made; see the error message.</translation>
    </message>
</context>
<context>
    <name>OriginPicker</name>
    <message>
        <source>— pilih asal —</source>
        <translation>— choose origin —</translation>
    </message>
    <message>
        <source>AI: {tool}</source>
        <translation>AI: {tool}</translation>
    </message>
    <message>
        <source>atau ketik nama alat AI lain</source>
        <translation>or type the name of another AI tool</translation>
    </message>
    <message>
        <source>Dibuat dengan alat AI lain (pilih atau ketik namanya), atau karya Anda sendiri. Ini dicatat di log AI, laporan dan kartu penutup.</source>
        <translation>Made with another AI tool (pick or type its name), or your own work. This is recorded in the AI log, the report and the end card.</translation>
    </message>
    <message>
        <source>model, bila tahu (misalnya GPT-4o)</source>
        <translation>model, if known (e.g. GPT-4o)</translation>
    </message>
    <message>
        <source>Asal</source>
        <translation>Origin</translation>
    </message>
    <message>
        <source>Model AI</source>
        <translation>AI model</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Lanjut →</source>
        <translation>Next →</translation>
    </message>
    <message>
        <source>Sebagian hasil langkah ini sudah tidak sesuai dengan langkah sebelumnya (perlu diperbarui).</source>
        <translation>Some results of this step no longer match the earlier steps (they need updating).</translation>
    </message>
    <message>
        <source>Langkah ini belum selesai.</source>
        <translation>This step is not finished yet.</translation>
    </message>
    <message>
        <source>Lanjut saja</source>
        <translation>Continue anyway</translation>
    </message>
    <message>
        <source>{n} adegan perlu diperbarui karena naskah atau pengaturan berubah.</source>
        <translation>{n} scene(s) need updating because the script or settings changed.</translation>
    </message>
    <message>
        <source>Hasil langkah ini perlu diperbarui karena langkah sebelumnya berubah.</source>
        <translation>This step&apos;s result needs updating because an earlier step changed.</translation>
    </message>
    <message>
        <source>{done} dari {total} adegan sudah selesai.</source>
        <translation>{done} of {total} scenes are done.</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>Tidak ada perangkat suara di komputer ini, jadi tidak ada yang terdengar. Sambungkan speaker atau headset, lalu putar lagi.</source>
        <translation>This computer has no sound device, so nothing can be heard. Connect speakers or a headset, then play again.</translation>
    </message>
    <message>
        <source>Berkas tidak bisa diputar: {err}</source>
        <translation>The file cannot be played: {err}</translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message>
        <source>Pratinjau muncul di sini</source>
        <translation>The preview appears here</translation>
    </message>
    <message>
        <source>Putar pratinjau (render draf)</source>
        <translation>Play the preview (draft render)</translation>
    </message>
    <message>
        <source>Pratinjau tidak bisa digambar: {err}</source>
        <translation>The preview cannot be drawn: {err}</translation>
    </message>
    <message>
        <source>▶ memutar render draf (resolusi setengah).</source>
        <translation>▶ plays the draft render (half resolution).</translation>
    </message>
    <message>
        <source>Geser untuk melihat tiap saat. Untuk memutar dengan suara, tekan ▶: video draf dirender dulu (cepat, resolusi setengah).</source>
        <translation>Drag to see any moment. To play with sound, press ▶: a draft video is rendered first (fast, half resolution).</translation>
    </message>
    <message>
        <source>Tidak ada perangkat suara di komputer ini: video diputar tanpa suara.</source>
        <translation>This computer has no sound device: the video plays without sound.</translation>
    </message>
</context>
<context>
    <name>RecoveryActions</name>
    <message>
        <source>Ada cadangan dari penyimpanan sebelumnya ({when}). Memulihkannya mengganti project.json yang rusak; berkas rusak itu disimpan sebagai project.json.damaged.</source>
        <translation>There is a backup from the previous save ({when}). Restoring it replaces the damaged project.json; the damaged file is kept as project.json.damaged.</translation>
    </message>
    <message>
        <source>Pulihkan dari cadangan</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <source>Proyek tidak bisa dibuka</source>
        <translation>The project cannot be opened</translation>
    </message>
    <message>
        <source>Cadangan tidak bisa dipulihkan</source>
        <translation>The backup cannot be restored</translation>
    </message>
    <message>
        <source>Proyek dipulihkan dari cadangan. Berkas yang rusak disimpan sebagai project.json.damaged.</source>
        <translation>The project was restored from its backup. The damaged file is kept as project.json.damaged.</translation>
    </message>
    <message>
        <source>Folder proyek ini tidak bisa ditulisi (hanya-baca), jadi perubahan tidak bisa disimpan di sini. Perubahan Anda tetap ada di aplikasi: simpan salinan proyek ke folder lain.</source>
        <translation>This project folder cannot be written to (read-only), so changes cannot be saved here. Your changes are still in the app: save a copy of the project to another folder.</translation>
    </message>
    <message>
        <source>Simpan salinan ke…</source>
        <translation>Save a copy to…</translation>
    </message>
    <message>
        <source>Belum tersimpan</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <source>Pilih folder untuk salinan proyek</source>
        <translation>Choose a folder for the project copy</translation>
    </message>
    <message>
        <source>Salinan tidak bisa disimpan</source>
        <translation>The copy cannot be saved</translation>
    </message>
    <message>
        <source>Salinan proyek disimpan di {folder}.</source>
        <translation>Project copy saved in {folder}.</translation>
    </message>
    <message>
        <source>Gambar adegan {n}</source>
        <translation>Picture of scene {n}</translation>
    </message>
    <message>
        <source>Suara adegan {n}</source>
        <translation>Voice of scene {n}</translation>
    </message>
    <message>
        <source>Musik latar</source>
        <translation>Background music</translation>
    </message>
    <message>
        <source>{what} tidak ditemukan: {path}</source>
        <translation>{what} was not found: {path}</translation>
    </message>
    <message>
        <source>{what} kosong (0 bita): {path}</source>
        <translation>{what} is empty (0 bytes): {path}</translation>
    </message>
    <message>
        <source>{what} berubah di luar aplikasi: {path}</source>
        <translation>{what} was changed outside the app: {path}</translation>
    </message>
    <message>
        <source>{what} menunjuk ke luar folder proyek: {path}</source>
        <translation>{what} points outside the project folder: {path}</translation>
    </message>
    <message>
        <source>Pilih berkas asli untuk {path}</source>
        <translation>Choose the original file for {path}</translation>
    </message>
    <message>
        <source>Berkas tidak bisa disambungkan</source>
        <translation>The file cannot be relinked</translation>
    </message>
    <message>
        <source>Berkas disambungkan ulang: {path}</source>
        <translation>File relinked: {path}</translation>
    </message>
</context>
<context>
    <name>RecoveryMixin</name>
    <message>
        <source>Salinan proyek disimpan di {folder}. Proyek yang terbuka sekarang adalah salinan ini.</source>
        <translation>Project copy saved in {folder}. The open project is now this copy.</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Laporan penggunaan AI</source>
        <translation>AI-usage report</translation>
    </message>
    <message>
        <source>Buka di peramban</source>
        <translation>Open in the browser</translation>
    </message>
    <message>
        <source>Tutup</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>RuleChip</name>
    <message>
        <source>Aturan: belum diperiksa</source>
        <translation>Rules: not checked yet</translation>
    </message>
    <message>
        <source>✗ {n} aturan memblokir ekspor</source>
        <translation>✗ {n} rules block export</translation>
    </message>
    <message>
        <source>⚠ {n} perlu perhatian</source>
        <translation>⚠ {n} need attention</translation>
    </message>
    <message>
        <source>✓ Aturan terpenuhi</source>
        <translation>✓ Rules met</translation>
    </message>
    <message>
        <source>Lihat daftar periksa aturan di halaman Pratinjau &amp; Ekspor</source>
        <translation>See the rule checklist on the Preview &amp; Export page</translation>
    </message>
</context>
<context>
    <name>SceneCard</name>
    <message>
        <source>Pindah ke atas</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>Pindah ke bawah</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>Hapus adegan ini</source>
        <translation>Delete this scene</translation>
    </message>
    <message>
        <source>Narasi yang dibacakan pada adegan ini</source>
        <translation>The narration spoken in this scene</translation>
    </message>
    <message>
        <source>Teks singkat yang tampil di layar (boleh kosong)</source>
        <translation>Short text shown on screen (may be empty)</translation>
    </message>
    <message>
        <source>Deskripsi gambar, sebaiknya dalam bahasa Inggris</source>
        <translation>Description of the picture, preferably in English</translation>
    </message>
    <message>
        <source>Teks di layar</source>
        <translation>On-screen text</translation>
    </message>
    <message>
        <source>Prompt gambar</source>
        <translation>Image prompt</translation>
    </message>
    <message>
        <source>Sudah saya periksa</source>
        <translation>I have checked them</translation>
    </message>
    <message>
        <source>Tandai bahwa fakta dari AI ini sudah Anda periksa kebenarannya</source>
        <translation>Mark that you have checked these AI facts are true</translation>
    </message>
    <message>
        <source>Adegan {n}</source>
        <translation>Scene {n}</translation>
    </message>
    <message>
        <source>Perkiraan dari jumlah kata</source>
        <translation>Estimated from the word count</translation>
    </message>
    <message>
        <source>Panjang suara yang sudah dibuat</source>
        <translation>Length of the voice already made</translation>
    </message>
    <message>
        <source>Dari AI</source>
        <translation>From AI</translation>
    </message>
    <message>
        <source>Dari templat</source>
        <translation>From template</translation>
    </message>
    <message>
        <source>Tulisan Anda</source>
        <translation>Your text</translation>
    </message>
    <message>
        <source>diedit</source>
        <translation>edited</translation>
    </message>
    <message>
        <source>Periksa fakta ini sebelum ekspor:</source>
        <translation>Check these facts before export:</translation>
    </message>
    <message>
        <source>saran: {n} kata</source>
        <translation>suggested: {n} words</translation>
    </message>
    <message>
        <source>saran: −{n} kata</source>
        <translation>suggested: −{n} words</translation>
    </message>
    <message>
        <source>Agar video masuk rentang durasi lomba (lihat kartu Durasi video)</source>
        <translation>So the video fits the competition&apos;s duration range (see the Video length card)</translation>
    </message>
    <message>
        <source>Subtitle ({0})</source>
        <translation>Subtitle ({0})</translation>
    </message>
    <message>
        <source>Terjemahan untuk subtitle, dalam {0}</source>
        <translation>Translation for the subtitles, in {0}</translation>
    </message>
    <message>
        <source>Narasi yang dibacakan, dalam bahasa narasi</source>
        <translation>The narration that is read aloud, in the narration language</translation>
    </message>
</context>
<context>
    <name>ScriptImportDialog</name>
    <message>
        <source>Impor naskah</source>
        <translation>Import script</translation>
    </message>
    <message>
        <source>Tempel naskah yang Anda tulis di tempat lain, atau buka berkas .txt, .md atau .docx. Naskah ini menggantikan semua adegan yang ada.</source>
        <translation>Paste a script you wrote elsewhere, or open a .txt, .md or .docx file. This script replaces all existing scenes.</translation>
    </message>
    <message>
        <source>Buka berkas…</source>
        <translation>Open file…</translation>
    </message>
    <message>
        <source>Tempel naskah di sini. Satu paragraf = satu adegan.</source>
        <translation>Paste the script here. One paragraph = one scene.</translation>
    </message>
    <message>
        <source>Bagi menjadi adegan:</source>
        <translation>Split into scenes:</translation>
    </message>
    <message>
        <source>per paragraf</source>
        <translation>by paragraph</translation>
    </message>
    <message>
        <source>per kalimat, sesuai jatah kata</source>
        <translation>by sentence, to the word budget</translation>
    </message>
    <message>
        <source>Dari mana naskah ini?</source>
        <translation>Where does this script come from?</translation>
    </message>
    <message>
        <source>Impor</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Naskah tidak bisa dibuka</source>
        <translation>The script cannot be opened</translation>
    </message>
    <message>
        <source>Buka naskah</source>
        <translation>Open script</translation>
    </message>
    <message>
        <source>(teks disunting)</source>
        <translation>(text edited)</translation>
    </message>
</context>
<context>
    <name>ScriptPage</name>
    <message>
        <source>Naskah dibagi per adegan: satu narasi dan satu gambar per adegan. Semua teks bisa Anda ubah.</source>
        <translation>The script is split into scenes: one narration and one picture per scene. You can change every text.</translation>
    </message>
    <message>
        <source>Buat naskah dari ide</source>
        <translation>Generate script from the idea</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Belum ada adegan. Tekan “Buat naskah dari ide” atau tambahkan adegan sendiri.</source>
        <translation>No scenes yet. Press “Generate script from the idea” or add scenes yourself.</translation>
    </message>
    <message>
        <source>+ Tambah adegan</source>
        <translation>+ Add scene</translation>
    </message>
    <message>
        <source>Mesin naskah: {name}</source>
        <translation>Script engine: {name}</translation>
    </message>
    <message>
        <source>Impor naskah…</source>
        <translation>Import script…</translation>
    </message>
    <message>
        <source>Pakai naskah yang Anda tulis sendiri atau dengan alat AI lain (tempel, .txt, .md, .docx)</source>
        <translation>Use a script you wrote yourself or with another AI tool (paste, .txt, .md, .docx)</translation>
    </message>
    <message>
        <source>Model sedang menulis naskah…</source>
        <translation>The model is writing the script…</translation>
    </message>
    <message>
        <source>Batalkan</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Tunjukkan adegan</source>
        <translation>Show scene</translation>
    </message>
    <message>
        <source>Naskah impor · asal: {origin}</source>
        <translation>Imported script · origin: {origin}</translation>
    </message>
    <message>
        <source>Total {approx}{value} (target {lo}–{hi}) · {n} adegan</source>
        <translation>Total {approx}{value} (target {lo}–{hi}) · {n} scenes</translation>
    </message>
    <message>
        <source>{n} karakter</source>
        <translation>{n} characters</translation>
    </message>
    <message>
        <source>{rate} karakter/dtk</source>
        <translation>{rate} characters/s</translation>
    </message>
    <message>
        <source>sekitar {s} dtk lagi</source>
        <translation>about {s} s left</translation>
    </message>
    <message>
        <source>Adegan {n} dihapus.</source>
        <translation>Scene {n} was deleted.</translation>
    </message>
    <message>
        <source>Urungkan</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Ganti naskah?</source>
        <translation>Replace the script?</translation>
    </message>
    <message>
        <source>Naskah baru akan menggantikan semua adegan yang ada (termasuk suntingan Anda). Lanjutkan?</source>
        <translation>A new script will replace all existing scenes (including your edits). Continue?</translation>
    </message>
    <message>
        <source>Ganti naskah</source>
        <translation>Replace script</translation>
    </message>
    <message>
        <source>Naskah diimpor: {n} adegan, perkiraan {value}.</source>
        <translation>Script imported: {n} scenes, about {value}.</translation>
    </message>
    <message>
        <source>Buat naskah</source>
        <translation>Write script</translation>
    </message>
    <message>
        <source>Brief ini belum jelas: “{words}” tidak terdengar seperti kata yang dikenal, jadi naskah templat hanya berisi kalimat umum. Periksa judul dan tema di langkah Ide, lalu buat naskah lagi.</source>
        <translation>This brief is not clear yet: “{words}” does not sound like words anyone knows, so the template script holds only general sentences. Check the title and theme in the Idea step, then write the script again.</translation>
    </message>
    <message>
        <source>Buka Ide</source>
        <translation>Open Idea</translation>
    </message>
    <message>
        <source>Belum ada naskah. Buat dari ide Anda atau tambahkan adegan sendiri.</source>
        <translation>There is no script yet. Generate it from your idea or add scenes yourself.</translation>
    </message>
    <message>
        <source>Adegan {list} belum berisi narasi.</source>
        <translation>Scene {list} has no narration yet.</translation>
    </message>
    <message>
        <source>Perkiraan durasi {value} di luar target {lo}–{hi}. Tambah atau kurangi narasi.</source>
        <translation>The estimated length {value} is outside the target {lo}–{hi}. Add or cut narration.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Pengaturan</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Naskah</source>
        <translation>Script</translation>
    </message>
    <message>
        <source>Gambar</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Suara</source>
        <translation>Voice</translation>
    </message>
    <message>
        <source>Mesin</source>
        <translation>Engines</translation>
    </message>
    <message>
        <source>Pilih folder model Whisper</source>
        <translation>Choose the Whisper model folder</translation>
    </message>
    <message>
        <source>Pilih…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Folder model bersama</source>
        <translation>Shared model folder</translation>
    </message>
    <message>
        <source>Untuk pelatihan tanpa internet: salin folder model dari flashdisk, lalu pilih foldernya di atas atau pakai “Kelola model AI…”. Tidak ada yang diunduh tanpa Anda minta.</source>
        <translation>For training without internet: copy the model folders from a USB stick, then choose the folder above or use “Manage AI models…”. Nothing is downloaded unless you ask.</translation>
    </message>
    <message>
        <source>Untuk pelatih: variabel lingkungan {var} menunjuk folder model bersama.</source>
        <translation>For trainers: the environment variable {var} points to a shared model folder.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Models</translation>
    </message>
    <message>
        <source>mis. qwen2.5:7b-instruct (Ollama) atau gpt-4o-mini</source>
        <translation>e.g. qwen2.5:7b-instruct (Ollama) or gpt-4o-mini</translation>
    </message>
    <message>
        <source>Nama model</source>
        <translation>Model name</translation>
    </message>
    <message>
        <source>Tampilkan naskah selagi ditulis</source>
        <translation>Show the script while it is written</translation>
    </message>
    <message>
        <source>Jawaban bertahap (streaming). Matikan hanya bila server Anda tidak mendukungnya.</source>
        <translation>Answers arrive bit by bit (streaming). Turn off only if your server does not support it.</translation>
    </message>
    <message>
        <source>Kunci API ditemukan ({source}). Kunci tidak pernah disimpan di proyek.</source>
        <translation>API key found ({source}). The key is never stored in the project.</translation>
    </message>
    <message>
        <source>Kunci API</source>
        <translation>API key</translation>
    </message>
    <message>
        <source>Tes koneksi</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>Bahasa tampilan</source>
        <translation>Display language</translation>
    </message>
    <message>
        <source>Tampilan</source>
        <translation>Display</translation>
    </message>
    <message>
        <source>Batal</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Simpan</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Subtitle (pengenal suara)</source>
        <translation>Subtitles (speech recognition)</translation>
    </message>
    <message>
        <source>Komputer ini</source>
        <translation>This computer</translation>
    </message>
    <message>
        <source>Studio Lokal tidak pernah diam-diam beralih ke mesin lain: bila mesin pilihan belum siap, langkahnya berhenti dengan penjelasan. Folder model diatur di tab Model.</source>
        <translation>Studio Lokal never silently switches to another engine: if the chosen engine is not ready, the step stops with an explanation. Model folders are set in the Models tab.</translation>
    </message>
    <message>
        <source>Model gambar AI</source>
        <translation>AI image model</translation>
    </message>
    <message>
        <source>Folder model gambar (berisi model_index.json)</source>
        <translation>Image model folder (holds model_index.json)</translation>
    </message>
    <message>
        <source>Pengurai gambar cepat (opsional)</source>
        <translation>Fast image decoder (optional)</translation>
    </message>
    <message>
        <source>Kosong: bawaan model gambar; folder TAESD membuat gambar lebih cepat</source>
        <translation>Empty: the image model&apos;s own; a TAESD folder makes pictures faster</translation>
    </message>
    <message>
        <source>Model AI naskah di komputer ini</source>
        <translation>AI script model on this computer</translation>
    </message>
    <message>
        <source>Model suara AI MMS-TTS</source>
        <translation>MMS-TTS AI voice model</translation>
    </message>
    <message>
        <source>Suara AI Piper</source>
        <translation>Piper AI voice</translation>
    </message>
    <message>
        <source>Model pengenal suara lain</source>
        <translation>Other speech recognition model</translation>
    </message>
    <message>
        <source>Hanya untuk mesin pengenal suara openai-whisper</source>
        <translation>Only for the openai-whisper speech recognition engine</translation>
    </message>
    <message>
        <source>Model pengenal suara</source>
        <translation>Speech recognition model</translation>
    </message>
    <message>
        <source>Cepat</source>
        <translation>Fast</translation>
    </message>
    <message>
        <source>Seimbang</source>
        <translation>Balanced</translation>
    </message>
    <message>
        <source>Paling teliti, lambat</source>
        <translation>Most accurate, slow</translation>
    </message>
    <message>
        <source>Cepat cocok untuk laptop; paling teliti butuh waktu jauh lebih lama.</source>
        <translation>Fast suits a laptop; most accurate takes much longer.</translation>
    </message>
    <message>
        <source>Kecepatan pengenal suara</source>
        <translation>Speech recognition speed</translation>
    </message>
    <message>
        <source>Alamat server AI</source>
        <translation>AI server address</translation>
    </message>
    <message>
        <source>kompatibel OpenAI</source>
        <translation>OpenAI-compatible</translation>
    </message>
    <message>
        <source>Kunci API tidak ditemukan. Untuk layanan berbayar, setel variabel lingkungan {var} atau simpan di brankas sandi sistem (keyring); server lokal seperti Ollama tidak memerlukannya.</source>
        <translation>No API key found. For a paid service, set the environment variable {var} or store it in the system password store (keyring); local servers such as Ollama do not need one.</translation>
    </message>
    <message>
        <source>Server AI</source>
        <translation>AI server</translation>
    </message>
    <message>
        <source>Folder model obrolan, mis. Qwen2.5 1.5B Instruct</source>
        <translation>Chat model folder, e.g. Qwen2.5 1.5B Instruct</translation>
    </message>
    <message>
        <source>Kosong: folder model aplikasi</source>
        <translation>Empty: the app&apos;s model folder</translation>
    </message>
    <message>
        <source>Berkas .onnx (dengan .onnx.json di sebelahnya)</source>
        <translation>.onnx file (with its .onnx.json beside it)</translation>
    </message>
    <message>
        <source>base (bawaan aplikasi)</source>
        <translation>base (built into the app)</translation>
    </message>
    <message>
        <source>Ukuran (tiny, small…) atau folder</source>
        <translation>Size (tiny, small…) or folder</translation>
    </message>
    <message>
        <source>Pilih folder…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <source>Kelola model AI…</source>
        <translation>Manage AI models…</translation>
    </message>
    <message>
        <source>Pilih berkas model</source>
        <translation>Choose model file</translation>
    </message>
    <message>
        <source>Pilih folder model</source>
        <translation>Choose model folder</translation>
    </message>
    <message>
        <source>Siap dipakai</source>
        <translation>Ready to use</translation>
    </message>
    <message>
        <source>(+{n} masalah lain)</source>
        <translation>(+{n} more problems)</translation>
    </message>
    <message>
        <source>Menghubungi server…</source>
        <translation>Contacting the server…</translation>
    </message>
    <message>
        <source>Server menjawab.</source>
        <translation>The server answered.</translation>
    </message>
</context>
<context>
    <name>SigningCard</name>
    <message>
        <source>Tanda tangan Content Credentials (opsional)</source>
        <translation>Sign with Content Credentials (optional)</translation>
    </message>
    <message>
        <source>Menyematkan kredensial konten C2PA ke MP4: siapa pembuatnya dan bagian mana yang dibuat AI, ditandatangani dengan sertifikat Anda. Bekerja tanpa internet.</source>
        <translation>Embeds C2PA content credentials in the MP4: who made it and which parts AI made, signed with your certificate. Works offline.</translation>
    </message>
    <message>
        <source>Sertifikat (PEM)</source>
        <translation>Certificate (PEM)</translation>
    </message>
    <message>
        <source>Kunci privat (PEM)</source>
        <translation>Private key (PEM)</translation>
    </message>
    <message>
        <source>CA tepercaya (opsional)</source>
        <translation>Trusted CA (optional)</translation>
    </message>
    <message>
        <source>Sertifikat Anda lalu sertifikat CA penerbitnya, dalam satu berkas</source>
        <translation>Your certificate, then the issuing CA&apos;s certificate, in one file</translation>
    </message>
    <message>
        <source>Tetap di tempatnya; tidak pernah disalin ke proyek</source>
        <translation>Stays where it is; never copied into the project</translation>
    </message>
    <message>
        <source>Sertifikat CA instansi, untuk memeriksa hasil tanda tangan</source>
        <translation>Your agency&apos;s CA certificate, to check the signature</translation>
    </message>
    <message>
        <source>Pilih…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Ubah berkas…</source>
        <translation>Change files…</translation>
    </message>
    <message>
        <source>Sertifikat: {cert} · kunci: {key}</source>
        <translation>Certificate: {cert} · key: {key}</translation>
    </message>
    <message>
        <source>CA: {ca}</source>
        <translation>CA: {ca}</translation>
    </message>
    <message>
        <source>Siap: MP4 hasil ekspor akan ditandatangani.</source>
        <translation>Ready: the exported MP4 will be signed.</translation>
    </message>
    <message>
        <source>Pilih berkas PEM</source>
        <translation>Choose a PEM file</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Selamat datang di Studio Lokal</source>
        <translation>Welcome to Studio Lokal</translation>
    </message>
    <message>
        <source>Dari ide sampai video pendek tentang budaya daerah Anda, langkah demi langkah, dengan catatan jujur tentang AI yang dipakai.</source>
        <translation>From an idea to a short video about your region&apos;s culture, step by step, with an honest record of the AI used.</translation>
    </message>
    <message>
        <source>Proyek baru</source>
        <translation>New project</translation>
    </message>
    <message>
        <source>mis. Weton: Hitungan Hari Lahir Orang Jawa</source>
        <translation>e.g. Weton: the Javanese birth-day reckoning</translation>
    </message>
    <message>
        <source>Judul video</source>
        <translation>Video title</translation>
    </message>
    <message>
        <source>Folder baru atau kosong untuk proyek ini</source>
        <translation>A new or empty folder for this project</translation>
    </message>
    <message>
        <source>Pilih…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Folder proyek</source>
        <translation>Project folder</translation>
    </message>
    <message>
        <source>Lomba / platform</source>
        <translation>Contest / platform</translation>
    </message>
    <message>
        <source>Buat proyek</source>
        <translation>Create project</translation>
    </message>
    <message>
        <source>&lt;b&gt;Tujuh langkah&lt;/b&gt;&lt;br&gt;1. &lt;b&gt;Ide&lt;/b&gt; — judul, daerah, tema, fakta kunci&lt;br&gt;2. &lt;b&gt;Naskah&lt;/b&gt; — disusun dari ide, lalu Anda sunting&lt;br&gt;3. &lt;b&gt;Gambar&lt;/b&gt; — satu gambar per adegan, atau foto Anda&lt;br&gt;4. &lt;b&gt;Suara&lt;/b&gt; — narasi sintetis atau rekaman Anda&lt;br&gt;5. &lt;b&gt;Subtitle&lt;/b&gt; — teks yang pas dengan suara&lt;br&gt;6. &lt;b&gt;Musik&lt;/b&gt; — gamelan bebas royalti atau musik Anda&lt;br&gt;7. &lt;b&gt;Pratinjau &amp;amp; Ekspor&lt;/b&gt; — periksa aturan lomba, lalu ekspor</source>
        <translation>&lt;b&gt;Seven steps&lt;/b&gt;&lt;br&gt;1. &lt;b&gt;Idea&lt;/b&gt; — title, region, theme, key facts&lt;br&gt;2. &lt;b&gt;Script&lt;/b&gt; — drafted from the idea, then edited by you&lt;br&gt;3. &lt;b&gt;Images&lt;/b&gt; — one picture per scene, or your own photo&lt;br&gt;4. &lt;b&gt;Voice&lt;/b&gt; — synthetic narration or your own recording&lt;br&gt;5. &lt;b&gt;Subtitles&lt;/b&gt; — text timed to the voice&lt;br&gt;6. &lt;b&gt;Music&lt;/b&gt; — royalty-free gamelan or your own music&lt;br&gt;7. &lt;b&gt;Preview &amp;amp; Export&lt;/b&gt; — check the contest rules, then export</translation>
    </message>
    <message>
        <source>Buka proyek</source>
        <translation>Open a project</translation>
    </message>
    <message>
        <source>Proyek terakhir</source>
        <translation>Recent projects</translation>
    </message>
    <message>
        <source>Buka yang dipilih</source>
        <translation>Open the selected one</translation>
    </message>
    <message>
        <source>Buka folder lain…</source>
        <translation>Open another folder…</translation>
    </message>
    <message>
        <source>Belum pernah mencoba?</source>
        <translation>Never tried it?</translation>
    </message>
    <message>
        <source>Proyek contoh tentang weton Jawa berjalan sepenuhnya luring: cocok untuk pelatihan dan demo di proyektor.</source>
        <translation>The sample project about Javanese weton runs fully offline: good for training and projector demos.</translation>
    </message>
    <message>
        <source>Buka proyek contoh</source>
        <translation>Open the sample project</translation>
    </message>
    <message>
        <source>Buka folder kelas…</source>
        <translation>Open class folder…</translation>
    </message>
    <message>
        <source>Untuk pelatih: jalankan langkah yang belum selesai di semua proyek peserta dalam satu folder.</source>
        <translation>For trainers: run the missing steps in every participant&apos;s project in one folder.</translation>
    </message>
    <message>
        <source>Juri</source>
        <translation>Jury</translation>
    </message>
    <message>
        <source>Periksa satu folder berisi karya lomba sekaligus: aturan, AI yang diakui, keutuhan paket, dan karya ganda.</source>
        <translation>Check a whole folder of contest entries at once: rules, declared AI, bundle integrity and duplicates.</translation>
    </message>
    <message>
        <source>Buka tabel juri…</source>
        <translation>Open the jury&apos;s table…</translation>
    </message>
    <message>
        <source>{desc} Durasi {lo:g}–{hi:g} detik, {w}×{h}.</source>
        <translation>{desc} Length {lo:g}–{hi:g} s, {w}×{h}.</translation>
    </message>
    <message>
        <source>Belum ada proyek. Buat proyek baru atau buka proyek contoh.</source>
        <translation>No projects yet. Create a new project or open the sample project.</translation>
    </message>
    <message>
        <source>Proyek yang sedang terbuka: {title} ({folder})</source>
        <translation>Open project: {title} ({folder})</translation>
    </message>
    <message>
        <source>tanpa judul</source>
        <translation>untitled</translation>
    </message>
    <message>
        <source>Buat proyek baru atau buka proyek dulu.</source>
        <translation>Create a new project or open one first.</translation>
    </message>
    <message>
        <source>Pilih folder untuk proyek baru</source>
        <translation>Choose a folder for the new project</translation>
    </message>
    <message>
        <source>Tulis atau pilih folder untuk proyek dulu.</source>
        <translation>Type or choose a folder for the project first.</translation>
    </message>
    <message>
        <source>Pilih folder proyek</source>
        <translation>Choose the project folder</translation>
    </message>
    <message>
        <source>Proyek contoh tidak bisa dibuka</source>
        <translation>The sample project cannot be opened</translation>
    </message>
</context>
<context>
    <name>SubtitlesPage</name>
    <message>
        <source>Whisper mendengarkan suara tiap adegan untuk menepatkan waktu subtitle; teksnya diambil dari naskah. Klik baris untuk melihatnya di pratinjau.</source>
        <translation>Whisper listens to each scene&apos;s voice to time the subtitles; the text comes from the script. Click a row to see it in the preview.</translation>
    </message>
    <message>
        <source>Buat subtitle</source>
        <translation>Make subtitles</translation>
    </message>
    <message>
        <source>Transkripsi dengan Whisper (Ctrl+Enter)</source>
        <translation>Transcribe with Whisper (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Gaya</source>
        <translation>Style</translation>
    </message>
    <message>
        <source>Dua baris (narasi + terjemahan)</source>
        <translation>Two lines (narration + translation)</translation>
    </message>
    <message>
        <source>Terjemahan saja</source>
        <translation>Translation only</translation>
    </message>
    <message>
        <source>Tampilkan di video</source>
        <translation>Show in the video</translation>
    </message>
    <message>
        <source>Impor SRT/VTT…</source>
        <translation>Import SRT/VTT…</translation>
    </message>
    <message>
        <source>Ekspor SRT/VTT…</source>
        <translation>Export SRT/VTT…</translation>
    </message>
    <message>
        <source>Mulai</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Selesai</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Teks</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Pisah</source>
        <translation>Split</translation>
    </message>
    <message>
        <source>Pisah subtitle terpilih menjadi dua</source>
        <translation>Split the selected cue in two</translation>
    </message>
    <message>
        <source>Gabung</source>
        <translation>Merge</translation>
    </message>
    <message>
        <source>Gabung subtitle terpilih dengan berikutnya</source>
        <translation>Merge the selected cue with the next one</translation>
    </message>
    <message>
        <source> dtk</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Geser semua</source>
        <translation>Shift all</translation>
    </message>
    <message>
        <source>Majukan (−) atau mundurkan (+) semua subtitle</source>
        <translation>Move every cue earlier (−) or later (+)</translation>
    </message>
    <message>
        <source>Cari &amp;&amp; ganti</source>
        <translation>Find &amp;&amp; replace</translation>
    </message>
    <message>
        <source>Cari kata</source>
        <translation>Find</translation>
    </message>
    <message>
        <source>Ganti dengan</source>
        <translation>Replace with</translation>
    </message>
    <message>
        <source>Ganti semua</source>
        <translation>Replace all</translation>
    </message>
    <message>
        <source>Klik dua kali untuk mengubah. Waktu dalam menit:detik; “ | ” memisahkan dua baris.</source>
        <translation>Double-click to edit. Times in minutes:seconds; “ | ” separates two lines.</translation>
    </message>
    <message>
        <source>Adegan {n}: Whisper mengenali {pct}% kata naskah. Dengarkan suaranya; bila pelafalannya sudah benar, abaikan pesan ini.</source>
        <translation>Scene {n}: Whisper recognised {pct}% of the script&apos;s words. Listen to the voice; if the pronunciation is right, ignore this message.</translation>
    </message>
    <message>
        <source>Aturan baca dilanggar di {n} tempat: {first}</source>
        <translation>Reading rules broken in {n} places: {first}</translation>
    </message>
    <message>
        <source>Pilih dulu subtitle yang akan dipisah.</source>
        <translation>Select the cue to split first.</translation>
    </message>
    <message>
        <source>Pilih dulu subtitle yang akan digabung.</source>
        <translation>Select the cue to merge first.</translation>
    </message>
    <message>
        <source>{n} kata diganti.</source>
        <translation>{n} words replaced.</translation>
    </message>
    <message>
        <source>Pilih berkas subtitle</source>
        <translation>Choose a subtitle file</translation>
    </message>
    <message>
        <source>Subtitle tidak bisa diimpor</source>
        <translation>The subtitles cannot be imported</translation>
    </message>
    <message>
        <source>{name} bukan teks UTF-8; dibaca sebagai Windows-1252. Periksa huruf beraksen (mis. é) di tabel; jika ada yang salah, simpan berkasnya sebagai UTF-8 lalu impor lagi.</source>
        <translation>{name} is not UTF-8 text; it was read as Windows-1252. Check accented letters (e.g. é) in the table; if any are wrong, save the file as UTF-8 and import it again.</translation>
    </message>
    <message>
        <source>Simpan subtitle</source>
        <translation>Save subtitles</translation>
    </message>
    <message>
        <source>Subtitle tidak bisa disimpan</source>
        <translation>The subtitles cannot be saved</translation>
    </message>
    <message>
        <source>Subtitle disimpan: {path}</source>
        <translation>Subtitles saved: {path}</translation>
    </message>
    <message>
        <source>Ganti subtitle?</source>
        <translation>Replace the subtitles?</translation>
    </message>
    <message>
        <source>Subtitle baru akan menggantikan suntingan Anda. Lanjutkan?</source>
        <translation>New subtitles will replace your edits. Continue?</translation>
    </message>
    <message>
        <source>Ganti subtitle</source>
        <translation>Replace subtitles</translation>
    </message>
</context>
<context>
    <name>TakesMixin</name>
    <message>
        <source>Pilih rekaman seluruh narasi</source>
        <translation>Choose the recording of the whole narration</translation>
    </message>
    <message>
        <source>Berhenti</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Merekam… bicaralah dengan jelas. Tekan “Berhenti” bila selesai.</source>
        <translation>Recording… speak clearly. Press “Stop” when you are done.</translation>
    </message>
    <message>
        <source>Merekam… {t}</source>
        <translation>Recording… {t}</translation>
    </message>
</context>
<context>
    <name>TasksMixin</name>
    <message>
        <source>Tunggu pekerjaan yang sedang berjalan selesai, atau batalkan dulu (Esc).</source>
        <translation>Wait for the running job to finish, or cancel it first (Esc).</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Mulai</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Ide</source>
        <translation>Idea</translation>
    </message>
    <message>
        <source>Naskah</source>
        <translation>Script</translation>
    </message>
    <message>
        <source>Gambar</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Suara</source>
        <translation>Voice</translation>
    </message>
    <message>
        <source>Subtitle</source>
        <translation>Subtitles</translation>
    </message>
    <message>
        <source>Musik</source>
        <translation>Music</translation>
    </message>
    <message>
        <source>Pratinjau &amp; Ekspor</source>
        <translation>Preview &amp; Export</translation>
    </message>
    <message>
        <source>Render pratinjau</source>
        <translation>Preview render</translation>
    </message>
    <message>
        <source>Impor</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Pratinjau</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>selesai</source>
        <translation>done</translation>
    </message>
    <message>
        <source>perlu diperbarui</source>
        <translation>needs updating</translation>
    </message>
    <message>
        <source>belum ada</source>
        <translation>missing</translation>
    </message>
    <message>
        <source>sebagian</source>
        <translation>partial</translation>
    </message>
    <message>
        <source>Ilustrasi tanpa AI</source>
        <translation>Illustration, no AI</translation>
    </message>
    <message>
        <source>Foto sendiri</source>
        <translation>Own photo</translation>
    </message>
    <message>
        <source>Suara sintetis</source>
        <translation>Synthetic voice</translation>
    </message>
    <message>
        <source>Rekaman sendiri</source>
        <translation>Own recording</translation>
    </message>
    <message>
        <source>Gambar &amp; Video</source>
        <translation>Pictures &amp; Video</translation>
    </message>
    <message>
        <source>AI Studio Lokal</source>
        <translation>AI Studio Lokal</translation>
    </message>
    <message>
        <source>Berkas impor</source>
        <translation>Imported file</translation>
    </message>
    <message>
        <source>Otomatis</source>
        <translation>Automatic</translation>
    </message>
    <message>
        <source>Perbesar perlahan</source>
        <translation>Slow zoom in</translation>
    </message>
    <message>
        <source>Perkecil perlahan</source>
        <translation>Slow zoom out</translation>
    </message>
    <message>
        <source>Geser ke kiri</source>
        <translation>Pan left</translation>
    </message>
    <message>
        <source>Geser ke kanan</source>
        <translation>Pan right</translation>
    </message>
    <message>
        <source>Geser ke atas</source>
        <translation>Pan up</translation>
    </message>
    <message>
        <source>Geser ke bawah</source>
        <translation>Pan down</translation>
    </message>
    <message>
        <source>Diam</source>
        <translation>Still</translation>
    </message>
    <message>
        <source>Bawah, kotak lembut</source>
        <translation>Bottom, soft box</translation>
    </message>
    <message>
        <source>Sorot kata demi kata</source>
        <translation>Word-by-word highlight</translation>
    </message>
    <message>
        <source>Besar di tengah</source>
        <translation>Large, centred</translation>
    </message>
    <message>
        <source>Templat naskah, tanpa AI</source>
        <translation>Script template, no AI</translation>
    </message>
    <message>
        <source>AI di server (kompatibel OpenAI)</source>
        <translation>AI on a server (OpenAI-compatible)</translation>
    </message>
    <message>
        <source>AI naskah di komputer ini</source>
        <translation>AI script writer on this computer</translation>
    </message>
    <message>
        <source>Naskah lokal cepat</source>
        <translation>Fast local script</translation>
    </message>
    <message>
        <source>Ilustrasi sementara, tanpa AI</source>
        <translation>Placeholder art, no AI</translation>
    </message>
    <message>
        <source>Gambar AI di komputer ini (Stable Diffusion)</source>
        <translation>AI pictures on this computer (Stable Diffusion)</translation>
    </message>
    <message>
        <source>Gambar AI cepat di komputer ini (OpenVINO)</source>
        <translation>Fast AI pictures on this computer (OpenVINO)</translation>
    </message>
    <message>
        <source>Gambar AI dari server kelas</source>
        <translation>AI pictures from the class server</translation>
    </message>
    <message>
        <source>Suara sintetis sederhana, tanpa AI (espeak-ng)</source>
        <translation>Simple synthetic voice, no AI (espeak-ng)</translation>
    </message>
    <message>
        <source>Suara AI MMS-TTS</source>
        <translation>MMS-TTS AI voice</translation>
    </message>
    <message>
        <source>Suara AI Piper</source>
        <translation>Piper AI voice</translation>
    </message>
    <message>
        <source>Suara AI dari server kelas</source>
        <translation>AI voice from the class server</translation>
    </message>
    <message>
        <source>Pengenal suara Whisper (cepat)</source>
        <translation>Whisper speech recognition (fast)</translation>
    </message>
    <message>
        <source>Pengenal suara Whisper (openai-whisper)</source>
        <translation>Whisper speech recognition (openai-whisper)</translation>
    </message>
    <message>
        <source>Pengenal suara Whisper dari server kelas</source>
        <translation>Whisper speech recognition from the class server</translation>
    </message>
    <message>
        <source>Gamelan buatan program, tanpa AI</source>
        <translation>Generated gamelan, no AI</translation>
    </message>
</context>
<context>
    <name>VoicePage</name>
    <message>
        <source>Panjang tiap adegan mengikuti suaranya, jadi gambar selalu pas dengan kata. Pakai suara sintetis, atau rekam suara Anda sendiri.</source>
        <translation>Each scene lasts as long as its voice, so the picture always matches the words. Use a synthetic voice, or record your own.</translation>
    </message>
    <message>
        <source>Buat semua suara</source>
        <translation>Make all voices</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Kecepatan bicara</source>
        <translation>Speaking rate</translation>
    </message>
    <message>
        <source> kata/menit</source>
        <translation> words/min</translation>
    </message>
    <message>
        <source>Nada</source>
        <translation>Pitch</translation>
    </message>
    <message>
        <source>Mesin suara</source>
        <translation>Voice engine</translation>
    </message>
    <message>
        <source>Jenis suara</source>
        <translation>Voice</translation>
    </message>
    <message>
        <source>Pilih model…</source>
        <translation>Choose model…</translation>
    </message>
    <message>
        <source>Unduh model…</source>
        <translation>Download model…</translation>
    </message>
    <message>
        <source>Satu rekaman untuk seluruh video</source>
        <translation>One recording for the whole video</translation>
    </message>
    <message>
        <source>Bacakan seluruh naskah sekaligus dengan jeda singkat antar adegan; rekaman dibagi otomatis di tempat naskah berganti adegan.</source>
        <translation>Read the whole script in one go with a short pause between scenes; the recording is split automatically where the script moves to the next scene.</translation>
    </message>
    <message>
        <source>Impor rekaman utuh…</source>
        <translation>Import a full recording…</translation>
    </message>
    <message>
        <source>Rekam seluruh video</source>
        <translation>Record the whole video</translation>
    </message>
    <message>
        <source>Asal rekaman yang Anda impor: suara sendiri, atau suara AI dari alat lain (ElevenLabs…). Berlaku untuk setiap “Impor…”; dicatat di log AI.</source>
        <translation>Where the recording you import came from: your own voice, or an AI voice from another tool (ElevenLabs…). Applies to every “Import…”; recorded in the AI log.</translation>
    </message>
    <message>
        <source>Asal rekaman yang diimpor</source>
        <translation>Origin of imported recordings</translation>
    </message>
    <message>
        <source>Mesin suara: {name}</source>
        <translation>Voice engine: {name}</translation>
    </message>
    <message>
        <source>Belum ada adegan. Buat naskah dulu.</source>
        <translation>No scenes yet. Write the script first.</translation>
    </message>
    <message>
        <source>Buat suara</source>
        <translation>Make voices</translation>
    </message>
</context>
<context>
    <name>VoiceRow</name>
    <message>
        <source>Adegan {n}</source>
        <translation>Scene {n}</translation>
    </message>
    <message>
        <source>Putar</source>
        <translation>Play</translation>
    </message>
    <message>
        <source>Buat ulang</source>
        <translation>Remake</translation>
    </message>
    <message>
        <source>Buat suara sintetis untuk adegan ini</source>
        <translation>Make a synthetic voice for this scene</translation>
    </message>
    <message>
        <source>Impor…</source>
        <translation>Import…</translation>
    </message>
    <message>
        <source>Pakai berkas rekaman (WAV, MP3, M4A…) untuk adegan ini</source>
        <translation>Use a recording file (WAV, MP3, M4A…) for this scene</translation>
    </message>
    <message>
        <source>Rekam</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Rekam narasi adegan ini dengan mikrofon</source>
        <translation>Record this scene&apos;s narration with the microphone</translation>
    </message>
    <message>
        <source>(narasi kosong)</source>
        <translation>(empty narration)</translation>
    </message>
    <message>
        <source>Belum ada</source>
        <translation>None yet</translation>
    </message>
    <message>
        <source>Narasi berubah sejak suara ini dibuat.</source>
        <translation>The narration changed since this voice was made.</translation>
    </message>
    <message>
        <source>Pilih rekaman untuk adegan ini</source>
        <translation>Choose a recording for this scene</translation>
    </message>
</context>
</TS>
