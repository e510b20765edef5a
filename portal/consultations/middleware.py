from .sessions import ResidentSessionMiddleware

__all__ = ["ResidentSessionMiddleware"]
