"""Demo home page, section indexes and the book-a-call page."""

HOME = {
    "title": "Home",
    "headline": "Production machine learning and data engineering",
    "intro": (
        "I'm an independent consultant who builds the pipelines, forecasting systems and data "
        "infrastructure that keep machine learning working in production, drawing on years of hands-on "
        "work in supply-chain software and banking."
    ),
    "search_description": (
        "Independent consultant for production machine learning and data engineering: feature "
        "pipelines, forecasting systems and reliable data infrastructure."
    ),
}

WRITING_INDEX = {
    "title": "Writing",
    "lede": (
        "Notes from real projects on data engineering, forecasting and getting models into production. "
        "Written for practitioners, with the code and the trade-offs left in."
    ),
}

CASE_STUDY_INDEX = {
    "title": "Case studies",
    "lede": (
        "Selected engagements, anonymised: what the problem was, what I built, and what changed as a "
        "result."
    ),
}

BOOK_A_CALL = {
    "title": "Book a call",
    "intro": (
        "<p>Tell me briefly what you are working on and where it hurts: a pipeline that misses its "
        "window, a forecast nobody trusts, a model that works in a notebook but not in production. I "
        "read every message myself and reply within two working days.</p>"
        "<p>The first call is thirty minutes and free. If I'm not the right person for the problem, I "
        "will say so and, where I can, point you to someone who is.</p>"
    ),
    "thank_you_text": (
        "<p>Thanks, your message has arrived. I will get back to you within two working days with a "
        "few suggested times for a call.</p>"
        "<p>If anything is urgent or you would like to share documents beforehand, just reply to the "
        "confirmation email.</p>"
    ),
}
