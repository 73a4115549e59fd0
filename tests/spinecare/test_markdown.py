"""Echoed patient text renders literally in the widget's markdown."""

from spinecare.intake.flow import summary_lines
from spinecare.markdown import escape_markdown


def test_link_image_and_emphasis_syntax_is_escaped():
    assert escape_markdown("[x](javascript:alert(1))") == r"\[x\](javascript:alert(1))"
    assert escape_markdown("<img src=x>") == r"\<img src=x\>"
    assert escape_markdown("**bold** _it_ `code` ~s~ a|b") == (
        r"\*\*bold\*\* \_it\_ \`code\` \~s\~ a\|b"
    )
    assert escape_markdown("line\n\n# heading") == "line # heading"
    assert escape_markdown("Jon.Doe@Mail.com (212) 555-0182") == "Jon.Doe@Mail.com (212) 555-0182"


def test_the_summary_escapes_what_the_person_typed_only():
    answers = {
        "first_name": "Jane",
        "last_name": "Doe",
        "symptoms": "[a](javascript:x)",
        "treatments_tried": ["physical_therapy"],
        "zip_code": "10001",
        "state": "NY",
    }
    text = "\n".join(summary_lines(answers))
    assert r"Symptoms: \[a\](javascript:x)" in text
    assert "ZIP code: 10001 (NY)" in text and "physical therapy" in text
