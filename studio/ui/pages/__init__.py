"""One page per creator step (Mulai, Ide, Naskah, Gambar, Suara, Subtitle, Musik, Pratinjau & Ekspor)."""
