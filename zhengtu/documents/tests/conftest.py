from zhengtu.supervision.tests.conftest import people

__all__ = ["people"]
