"""The desktop window (PySide6). The only package that imports Qt.

Nothing heavy is imported here: ``studio.ui.app.run_gui`` shows the window first and
the pipeline (and with it torch, diffusers, faster-whisper) loads only when a step runs.
"""
