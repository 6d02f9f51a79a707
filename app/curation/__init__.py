"""Curation: what a person does when the resolver (app.identity) could not
decide or decided wrong. Merge two actors that are one, undo a merge, split
an actor that is several people, record that two actors are different
people, and the queue of what is worth a look."""
