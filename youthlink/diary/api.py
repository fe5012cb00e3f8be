from ninja import Router

router = Router(tags=["工作网络日记"])
