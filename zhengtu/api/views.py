from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response


@api_view(["POST"])
@permission_classes([AllowAny])
def obtain_token(request: Request) -> Response:
    """PLACEHOLDER: to be completed (helper A)."""
    return Response(status=501)
