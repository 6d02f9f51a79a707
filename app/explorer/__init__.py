"""The explorer: a read-only web page over the public API, at ``/explore``.

Plain HTML, JavaScript modules and CSS shipped as package data (no build step,
no library, nothing fetched from another host); it reads ``/v1/...`` like any
other client. See ``router.install_explorer``.
"""
