"""The live model for Rasa replicas that pull it (the `models` endpoint in endpoints.scale.yml).

Rasa sends the ETag of the model it runs as If-None-Match: 304 while that is still the live
one, else the file with its ETag, which Rasa loads and sends back on its next pull. The ETag is
the file name: a published model is never rewritten under the same name.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from bot.content.publish import Publisher
from bot.web.deps import get_runtime
from bot.web.errors import Problem

router = APIRouter(include_in_schema=False)


@router.get("/_rasa/model")
def live_model(request: Request) -> Response:
    settings = get_runtime(request).settings
    presented = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    expected = settings.rasa_token.get_secret_value()
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Problem(401, "unauthorised", "Send the Rasa token as Authorization: Bearer ...")
    model = Publisher(settings).live_model()
    if model is None:
        return Response(status_code=404)  # Rasa keeps polling until one is trained
    etag = f'"{model.name}"'
    if request.headers.get("if-none-match", "").strip() in (etag, model.name):
        return Response(status_code=304, headers={"ETag": etag})
    # Rasa saves the download under `filename`, so its /status names the published file.
    return FileResponse(model, media_type="application/gzip",
                        headers={"ETag": etag, "filename": model.name})
