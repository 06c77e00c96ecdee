"""The region's editable lists: the life domains of casework, the topics of school-team expertise,
the themes of signals and of learning.

Each is a short list of names a region keeps for itself (stored as data, in Dutch, with a default
list for a new region); records point to its entries, so an entry is renamed, reordered or taken out
of use, never deleted. `RegionVocabulary` is the abstract model they share; `services`, `selectors`,
`forms`, `views` and the templates here are the one implementation of keeping such a list. Each
concrete list lives in the app it belongs to and plugs in with a `VocabularyPages` in its views.

Layer: above the foundation (regions, access, audit), below casework and the pillars, which import
it; it imports none of them.
"""
