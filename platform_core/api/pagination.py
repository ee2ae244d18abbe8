from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "ukuran"
    max_page_size = 500
    page_query_param = "halaman"
