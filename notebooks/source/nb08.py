from cell import code, exercise, md, solution

CELLS = [
    md(
        """
        # 8. Labs

        Four classic exercises that put the series together. Each lab states the task and leaves an
        empty cell for your answer; the collapsed cell after it holds a solution (click it to expand)
        and the answer it prints. Try first, then compare.

        | Lab | Skills |
        |---|---|
        | 1. Lines with "a" and "b" | `textFile`, `filter`, `count`, `cache` |
        | 2. The longest line | `map`, `reduce`, `max` with a key |
        | 3. Word count over a README | `flatMap`, `reduceByKey`, `takeOrdered`, broadcast stop words |
        | 4. Shared variables: web server logs | accumulators, a custom `AccumulatorParam`, broadcast |
        """
    ),
    code(
        """
        from operator import add

        from pyspark import AccumulatorParam, SparkConf, SparkContext

        conf = SparkConf().setMaster("local[2]").setAppName("08-labs")
        sc = SparkContext.getOrCreate(conf)
        """
    ),
    md(
        """
        ## Lab 1: lines with "a" and lines with "b"

        The first program of Spark's quick start. Read `data/README.md`, and count the lines that
        contain the letter `a` and those that contain the letter `b`. The file is read twice: make
        sure it is read from the input only once.
        """
    ),
    exercise(),
    solution(
        """
        log_data = sc.textFile("data/README.md").cache()
        num_as = log_data.filter(lambda s: "a" in s).count()
        num_bs = log_data.filter(lambda s: "b" in s).count()
        print(f"Lines with a: {num_as}, lines with b: {num_bs}")
        """
    ),
    md(
        """
        ## Lab 2: the longest line

        How many words does the line with the most words have? Which line is it? (Two lines could
        tie: break ties by taking the line that comes first alphabetically.)
        """
    ),
    exercise(),
    solution(
        """
        lines = sc.textFile("data/README.md")
        print(lines.map(lambda line: len(line.split())).reduce(max))
        print(lines.map(lambda line: (-len(line.split()), line)).min()[1])
        """
    ),
    md(
        """
        ## Lab 3: word count over a README

        Count the words of `data/README.md`, ignoring case and punctuation (`"Spark,"` and
        `"spark"` are the same word) and leaving out the stop words below, which you should send to
        the executors as a broadcast variable. Print the ten most frequent words with their counts,
        the most frequent first, ties in alphabetical order.
        """
    ),
    code(
        """
        STOP_WORDS = {"a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "in", "is", "it",
                      "of", "on", "or", "so", "than", "that", "the", "then", "this", "to", "with"}
        """
    ),
    exercise(),
    solution(
        """
        import string

        stop_words = sc.broadcast(STOP_WORDS)
        strip = str.maketrans("", "", string.punctuation)

        word_counts = (sc.textFile("data/README.md")
                       .flatMap(lambda line: line.translate(strip).lower().split())
                       .filter(lambda word: word not in stop_words.value)
                       .map(lambda word: (word, 1))
                       .reduceByKey(add))
        for word, count in word_counts.takeOrdered(10, key=lambda wc: (-wc[1], wc[0])):
            print(f"{word:12} {count}")
        """
    ),
    md(
        """
        ## Lab 4: shared variables over web server logs

        The web server logs are in `data/logs` (one part file per day) and
        `data/logs-2024-04-30.txt.gz` (an older, compressed day). Each line reads
        `date time GET page status bytes`.

        1. Read all four days into one RDD and count the requests.
        2. In a single pass (one action), compute the bytes served per section of the site, where
           a page's section comes from the broadcast table below (pages not listed belong to
           `"other"`), and at the same time count with accumulators the requests that failed with a
           4xx status and those that failed with a 5xx status.
        3. With a custom `AccumulatorParam`, collect the *set* of pages that returned an error.
        """
    ),
    code(
        """
        SECTIONS = {"/": "home", "/index.html": "home", "/docs": "docs", "/docs/rdd": "docs",
                    "/docs/shuffle": "docs", "/download": "download"}
        """
    ),
    exercise(),
    solution(
        """
        requests = sc.textFile("data/logs,data/logs-2024-04-30.txt.gz").map(lambda line: line.split())
        print("requests:", requests.count())

        sections = sc.broadcast(SECTIONS)
        client_errors = sc.accumulator(0)
        server_errors = sc.accumulator(0)


        class SetParam(AccumulatorParam):
            def zero(self, value):
                return set()

            def addInPlace(self, s1, s2):
                s1 |= s2
                return s1


        failing_pages = sc.accumulator(set(), SetParam())

        def section_bytes(fields):
            page, status, size = fields[3], int(fields[4]), int(fields[5])
            if 400 <= status < 500:
                client_errors.add(1)
            elif status >= 500:
                server_errors.add(1)
            if status >= 400:
                failing_pages.add({page})
            return (sections.value.get(page, "other"), size)

        per_section = requests.map(section_bytes).reduceByKey(add).collect()  # the single action
        print(sorted(per_section))
        print("4xx:", client_errors.value, "5xx:", server_errors.value)
        print("pages with errors:", sorted(failing_pages.value))
        """
    ),
    md(
        """
        Note that the accumulators are updated inside a transformation (`map`): their values are
        right here because the RDD was computed exactly once. Run `per_section` a second time with
        another action and they would count twice (notebook 5 explains why).

        ## Where to go next

        - Run these notebooks against a real cluster: change only the master URL.
        - Read Spark's RDD programming guide, then try the DataFrame API in PySpark, which builds on
          the same jobs, stages and shuffles you have seen here.
        """
    ),
    code("sc.stop()"),
]
