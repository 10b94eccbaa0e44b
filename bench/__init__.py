"""National-scale benchmark of Wijkimpact: scale data, ETL, map payload, pages, memory, load."""
