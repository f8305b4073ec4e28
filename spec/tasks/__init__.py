"""The randomized tasks of the post, each with its prompt, exact target and algorithms."""
