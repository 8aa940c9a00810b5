"""The supervisee's own web app (/app/): a phone-first, installable shell over the same services as staff pages."""
