# Wagtail's date fields show dates as WAGTAIL_DATE_FORMAT ("27 Nov 2026"); Django's en-GB
# formats cannot read that back, so every date the admin sends was refused ("Enter a valid date").
DATE_INPUT_FORMATS = ["%d %b %Y", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
