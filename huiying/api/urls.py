"""/api/v1/ and /open311/v2/ (being written)."""
urlpatterns = []
