"""Face checks: a photo taken by the supervisee's phone compared with the photo in the registry."""
