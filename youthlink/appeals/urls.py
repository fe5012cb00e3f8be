from django.urls import path

from . import search_views, views

app_name = "appeals"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.create, name="create"),
    path("list/", views.area_list, name="list"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("categories/<int:pk>/", views.categories, name="categories"),
    # search (搜索), similar requests (相似诉求), share poster (分享海报)
    path("search/", search_views.search, name="search"),
    path("similar/", search_views.similar, name="similar"),
    path("<int:pk>/poster.png", search_views.poster, name="poster"),
]

# --- handling (听结办): escalate, refer, respond, resolve, confirm ---------------------------------
from . import handling_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/escalate/", handling_views.escalate, name="escalate"),
    path("<int:pk>/partners/", handling_views.partners, name="partners"),
    path("<int:pk>/refer/", handling_views.refer, name="refer"),
    path("<int:pk>/respond/", handling_views.respond, name="respond"),
    path("<int:pk>/resolve/", handling_views.resolve, name="resolve"),
    path("<int:pk>/confirm/", handling_views.confirm, name="confirm"),
    path("photos/<int:pk>/", handling_views.update_photo, name="update_photo"),
]
