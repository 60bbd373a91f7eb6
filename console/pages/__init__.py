"""The console's routes, one module per area; each route answers HTML or JSON (:mod:`console.respond`)."""
