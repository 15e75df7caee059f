from flask_smorest import Blueprint

blp = Blueprint("health", __name__, url_prefix="/api", description="Liveness")


@blp.get("/health")
def health():
    """The server answers."""
    return {"status": "ok"}
