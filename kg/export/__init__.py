"""Exporters: RDF from the corpus; HTML, GraphML and GEXF from the graph view."""
