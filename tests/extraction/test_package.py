"""Language detection."""

from app.extraction import detect_language


def test_language_detection():
    assert detect_language("Le président a déclaré que la réunion était reportée.") == "fr"
    assert detect_language("The president said that the meeting had been postponed.") == "en"
    assert detect_language("") == "en"
