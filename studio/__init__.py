"""Studio Lokal: from an idea to a competition-ready local-culture video.

Importing ``studio`` must stay cheap: no Qt, no torch, no model libraries here.
"""

__version__ = "0.1.0"
APP_NAME = "Studio Lokal"
