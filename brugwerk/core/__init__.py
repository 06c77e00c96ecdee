"""What every app may build on: no models, no imports of other Brugwerk apps (the bottom layer)."""
