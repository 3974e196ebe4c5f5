"""Developer tools of the course: ``tools.nbtools`` (notebook cells for nbgrader) and
``tools.author`` (the authoring source of every exercise, ``make solutions``)."""
