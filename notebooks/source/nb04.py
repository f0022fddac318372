from cell import code, exercise, md, solution, sparklet

CELLS = [
    md(
        """
        # 4. Key-value pairs and shuffles

        Most real Spark programs group or combine records by a key. On an RDD of `(key, value)`
        tuples Spark offers `reduceByKey`, `groupByKey`, `join` and friends. These operations need
        all the values of a key in one place, so Spark moves data between executors: a
        **shuffle**. Shuffles cut a job into **stages**, and they are usually the most expensive
        part of a job. This notebook shows how to read them and how to avoid the costly ones.
        """,
        ko="""
        # 4. 키-값 쌍과 셔플

        실제 Spark 프로그램은 대부분 레코드를 키로 묶거나 합칩니다. `(키, 값)` 튜플로 된 RDD에서 Spark는
        `reduceByKey`, `groupByKey`, `join` 같은 연산을 제공합니다. 이 연산들은 한 키의 값을 모두 한곳에 모아야
        하므로 Spark가 익스큐터 사이에서 데이터를 옮깁니다. 이것이 **셔플**입니다. 셔플은 잡을 여러 **스테이지**로
        나누고, 대개 잡에서 가장 비싼 부분입니다. 이 노트북에서는 셔플을 읽는 법과 비싼 셔플을 피하는 법을
        살펴봅니다.
        """,
    ),
    code(
        """
        import time
        from operator import add

        from pyspark import SparkConf, SparkContext

        conf = SparkConf().setMaster("local[2]").setAppName("04-key-value-pairs-and-shuffles")
        sc = SparkContext.getOrCreate(conf)
        readme = sc.textFile("data/README.md")
        """
    ),
    md(
        """
        ## Word count

        The "hello world" of Spark: split lines into words, pair each word with 1, and add up the
        ones per word with `reduceByKey`.
        """,
        ko="""
        ## 단어 세기

        Spark의 "hello world"입니다. 줄을 단어로 나누고, 단어마다 1을 짝지은 다음, `reduceByKey`로 단어별
        1을 모두 더합니다.
        """,
    ),
    code(
        """
        pairs = readme.flatMap(lambda line: line.lower().split()).map(lambda word: (word, 1))
        counts = pairs.reduceByKey(add)
        print(counts.count(), "distinct words")
        print(counts.takeOrdered(8, key=lambda wc: (-wc[1], wc[0])))
        """
    ),
    md(
        """
        Pair RDDs have their own helpers: `keys()`, `values()`, `mapValues(f)` (transform values,
        keep keys), `sortByKey()`, and `lookup(key)` (on real PySpark, `lookup` on a shuffled RDD needs
        the driver started with `PYTHONHASHSEED` set, so we filter instead).
        """,
        ko="""
        쌍 RDD에는 전용 도우미 메서드가 있습니다. `keys()`, `values()`, 키는 그대로 두고 값만 바꾸는
        `mapValues(f)`, `sortByKey()`, `lookup(key)` 등입니다(실제 PySpark에서 셔플된 RDD에 `lookup`을 쓰려면
        드라이버가 `PYTHONHASHSEED`를 설정한 채 시작되어야 하므로, 여기서는 대신 `filter`를 씁니다).
        """,
    ),
    code(
        """
        print(counts.filter(lambda wc: wc[0] == "spark").values().collect())
        print(counts.filter(lambda wc: wc[1] >= 5).mapValues(lambda n: "*" * n).sortByKey().collect())
        """
    ),
    md(
        """
        ## `reduceByKey` versus `groupByKey`

        Both can count words, with the same result:
        """,
        ko="""
        ## `reduceByKey`와 `groupByKey`

        둘 다 단어를 셀 수 있고, 결과도 같습니다.
        """,
    ),
    code(
        """
        by_reduce = pairs.reduceByKey(add)
        by_group = pairs.groupByKey().mapValues(sum)
        print(sorted(by_reduce.collect()) == sorted(by_group.collect()))
        """
    ),
    md(
        """
        The difference is what crosses the shuffle. `reduceByKey` first combines the values of each
        key **within each partition** (a map-side combine), so each map task writes one small record
        per distinct key: a single number. `groupByKey` groups per partition too, but into a list that
        holds every value, so every single `1` still crosses the shuffle. We can count the values
        each one ships:
        """,
        ko="""
        차이는 셔플을 건너가는 데이터의 양입니다. `reduceByKey`는 먼저 **파티션 안에서** 키별로 값을 합치므로
        (맵 쪽 결합, map-side combine) 각 맵 태스크가 서로 다른 키마다 숫자 하나짜리 작은 레코드만 씁니다.
        `groupByKey`도 파티션 안에서 묶기는 하지만 모든 값을 담은 리스트로 묶으므로, `1` 하나하나가 빠짐없이
        셔플을 건너갑니다. 각각이 보내는 값의 개수를 직접 세어 볼 수 있습니다.
        """,
    ),
    code(
        """
        values_by_group = pairs.count()
        values_by_reduce = pairs.mapPartitions(lambda it: [len({word for word, _ in it})]).sum()
        print("groupByKey shuffles", values_by_group, "values; reduceByKey", values_by_reduce)
        """
    ),
    md(
        """
        Sparklet's job display shows the same thing as *shuffle write* on each job's first stage:
        both write one record per key and partition, but `groupByKey`'s records carry all the values,
        so its bytes are many times larger. Run both and compare the two jobs below the cell:
        """,
        ko="""
        Sparklet의 잡 표시에서는 각 잡의 첫 스테이지에 나오는 *셔플 쓰기(shuffle write)* 값으로 같은 내용을
        볼 수 있습니다. 둘 다 키와 파티션마다 레코드 하나를 쓰지만 `groupByKey`의 레코드에는 값이 모두 들어 있어
        바이트 수가 몇 배나 큽니다. 둘 다 실행해 셀 아래 두 잡을 비교해 보세요.
        """,
    ),
    sparklet(
        """
        # fresh RDDs: by_reduce and by_group already shuffled above, so their map stages would be skipped
        pairs.reduceByKey(add).count()
        pairs.groupByKey().mapValues(sum).count()
        """
    ),
    md(
        """
        Prefer `reduceByKey`, `aggregateByKey` or `combineByKey` whenever the values of a key can
        be combined step by step; use `groupByKey` only when you truly need all values together.

        ## Joins

        `join` matches the keys of two pair RDDs. The outer joins keep unmatched keys and fill the
        missing side with `None`. Let us join people (by name) with their purchases.
        """,
        ko="""
        키의 값들을 조금씩 합칠 수 있다면 언제나 `reduceByKey`, `aggregateByKey`, `combineByKey`를 쓰고,
        `groupByKey`는 정말로 모든 값이 한꺼번에 필요할 때만 쓰세요.

        ## 조인

        `join`은 두 쌍 RDD의 키를 맞춥니다. 외부 조인(outer join)은 짝이 없는 키도 남기고 빈 쪽을 `None`으로
        채웁니다. 사람(이름 기준)과 구매 내역을 조인해 봅시다.
        """,
    ),
    code(
        """
        def csv_rows(path):
            lines = sc.textFile(path)
            header = lines.first()
            return lines.filter(lambda line: line != header).map(lambda line: line.split(","))

        cities = csv_rows("data/people.csv").map(lambda r: (r[0], r[2]))            # name -> city
        purchases = csv_rows("data/purchases.csv").map(lambda r: (r[0], int(r[2])))  # name -> amount

        print(sorted(cities.join(purchases).collect())[:4])
        print(sorted(purchases.leftOuterJoin(cities).filter(lambda kv: kv[1][1] is None).collect()))
        print(sorted(cities.leftOuterJoin(purchases).filter(lambda kv: kv[1][1] is None).keys().collect()))
        print(cities.fullOuterJoin(purchases).count())
        """
    ),
    code(
        """
        spent_per_city = cities.join(purchases).map(lambda kv: kv[1]).reduceByKey(add)
        print(sorted(spent_per_city.collect()))
        """
    ),
    md(
        """
        ## Narrow and wide dependencies, and stages

        Each RDD depends on its parents. A **narrow** dependency (`map`, `filter`, `flatMap`,
        `mapValues`, ...) means each partition needs only one parent partition, so Spark
        **pipelines** a chain of them inside one task. A **wide** (shuffle) dependency
        (`reduceByKey`, `groupByKey`, `join`, `repartition`, ...) means a partition needs data from
        every parent partition. The DAG scheduler cuts the job into a new **stage** at every wide
        dependency: the stages before it write shuffle files, the stage after it reads them.

        The status tracker tells how many stages a job had (here, with their task counts):
        """,
        ko="""
        ## 좁은 의존성과 넓은 의존성, 그리고 스테이지

        모든 RDD는 부모 RDD에 의존합니다. **좁은(narrow)** 의존성(`map`, `filter`, `flatMap`, `mapValues` 등)은
        각 파티션이 부모 파티션 하나만 필요로 하므로, Spark는 이런 연산들을 태스크 하나 안에서 이어서
        실행합니다(**파이프라이닝**). **넓은(wide)** 의존성, 곧 셔플 의존성(`reduceByKey`, `groupByKey`,
        `join`, `repartition` 등)은 파티션 하나가 모든 부모 파티션의 데이터를 필요로 합니다. DAG 스케줄러는
        넓은 의존성마다 잡을 새 **스테이지**로 자릅니다. 앞 스테이지는 셔플 파일을 쓰고, 뒤 스테이지는 그것을
        읽습니다.

        상태 추적기(status tracker)로 잡의 스테이지 수와 스테이지별 태스크 수를 알 수 있습니다.
        """,
    ),
    code(
        """
        def stages_of_last_job(group):
            \"\"\"The task count of each stage of the one job run in a job group.\"\"\"
            tracker = sc.statusTracker()
            # The tracker learns about jobs from events delivered in the background: wait for the end.
            info = None
            while info is None or info.status != "SUCCEEDED":
                time.sleep(0.05)
                job_ids = tracker.getJobIdsForGroup(group)
                info = tracker.getJobInfo(max(job_ids)) if job_ids else None
            return [tracker.getStageInfo(s).numTasks for s in sorted(info.stageIds)]

        sc.setJobGroup("narrow", "only narrow dependencies")
        readme.flatMap(str.split).filter(lambda w: w.isalpha()).map(str.lower).count()
        print("narrow only:", stages_of_last_job("narrow"))

        sc.setJobGroup("wordcount", "one shuffle")
        counts.collect()
        print("word count:", stages_of_last_job("wordcount"))

        sc.setJobGroup("join", "a join and a reduceByKey")
        spent_per_city.collect()
        print("join then reduceByKey:", stages_of_last_job("join"))
        """
    ),
    md(
        """
        The DAG view draws the same thing: each box is a stage, each node one of your operators,
        and the shuffle edges between stages are drawn differently from the narrow ones.
        """,
        ko="""
        DAG 보기는 같은 내용을 그림으로 보여 줍니다. 상자 하나가 스테이지 하나이고, 노드는 여러분이 쓴 연산자이며,
        스테이지 사이의 셔플 간선은 좁은 의존성 간선과 다르게 그려집니다.
        """,
    ),
    sparklet(
        """
        %spark dag spent_per_city
        """
    ),
    md(
        """
        ## Partitioners

        A shuffle sends each key to the partition chosen by a **partitioner**: by default a hash of
        the key modulo the number of partitions. `partitionBy(n, func)` shuffles an RDD by key
        into `n` partitions; the RDD then *remembers* its partitioner, and operations that keep
        keys in place (`mapValues`, `filter`, `reduceByKey` with the same number of partitions)
        keep it. `map` may change keys, so its result has no partitioner.
        """,
        ko="""
        ## 파티셔너

        셔플은 **파티셔너**가 고른 파티션으로 각 키를 보냅니다. 기본은 키의 해시를 파티션 수로 나눈
        나머지입니다. `partitionBy(n, func)`는 RDD를 키 기준으로 `n`개 파티션에 셔플하고, 그 뒤로 RDD는 자신의
        파티셔너를 *기억*합니다. 키를 그대로 두는 연산(`mapValues`, `filter`, 파티션 수가 같은 `reduceByKey`)은
        파티셔너를 유지하지만, `map`은 키를 바꿀 수 있으므로 결과에 파티셔너가 없습니다.
        """,
    ),
    code(
        """
        letters = sc.parallelize([(w, len(w)) for w in ["apple", "banana", "cherry", "date", "elder", "fig", "grape"]])
        hashed = letters.partitionBy(3)
        print([sorted(part) for part in hashed.glom().collect()])
        print(hashed.partitioner is not None, hashed.partitioner.numPartitions)
        print(hashed.mapValues(lambda n: n * 2).partitioner == hashed.partitioner)
        print(hashed.map(lambda kv: kv).partitioner)
        """
    ),
    code(
        """
        by_first_letter = letters.partitionBy(2, lambda word: 0 if word < "d" else 1)
        print([sorted(part) for part in by_first_letter.glom().collect()])
        """
    ),
    md(
        """
        An RDD that is already partitioned the way a shuffle would partition it does not need that
        shuffle again: here the second `reduceByKey` reuses the partitioning of the first and adds
        no stage.
        """,
        ko="""
        RDD가 이미 셔플이 만들 방식 그대로 파티셔닝되어 있다면 그 셔플을 다시 할 필요가 없습니다. 아래에서 두
        번째 `reduceByKey`는 첫 번째의 파티셔닝을 그대로 쓰므로 스테이지가 늘어나지 않습니다.
        """,
    ),
    code(
        """
        sc.setJobGroup("twice", "two reduceByKey in a row")
        twice = counts.reduceByKey(add).mapValues(lambda n: n * 10).reduceByKey(add)
        print(sorted(twice.collect())[:3])
        print("stages:", stages_of_last_job("twice"))
        """
    ),
    md(
        """
        ## Exercises

        1. Which city spends the most per person? (Hint: join, then `aggregateByKey` with a
           (sum, count) pair.)
        2. Count the requests per HTTP status in `data/logs` and print them sorted by status. How
           many stages does the job have?
        """,
        ko="""
        ## 연습 문제

        1. 1인당 지출이 가장 많은 도시는 어디일까요? (힌트: 조인한 다음 (합, 개수) 쌍으로 `aggregateByKey`를
           쓰세요.)
        2. `data/logs`에서 HTTP 상태 코드별 요청 수를 세어 상태 코드 순으로 출력하세요. 이 잡의 스테이지는
           몇 개일까요?
        """,
    ),
    exercise(),
    solution(
        """
        per_city = cities.join(purchases).map(lambda kv: kv[1]).aggregateByKey(
            (0, 0), lambda acc, amount: (acc[0] + amount, acc[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1]))
        print(max(per_city.mapValues(lambda s: s[0] / s[1]).collect(), key=lambda kv: kv[1]))
        """
    ),
    exercise(),
    solution(
        """
        sc.setJobGroup("status", "requests per status")
        per_status = sc.textFile("data/logs").map(lambda line: (line.split()[4], 1)).reduceByKey(add)
        print(sorted(per_status.collect()))
        print("stages:", stages_of_last_job("status"))
        """
    ),
    code("sc.stop()"),
]
