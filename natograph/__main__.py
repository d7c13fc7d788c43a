if __name__ == "__main__":  # not when a worker process (validate --jobs) imports it
    from .cli import entry_point

    entry_point()
