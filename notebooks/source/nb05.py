from cell import code, exercise, md, solution, sparklet

CELLS = [
    md(
        """
        # 5. Persistence

        An RDD is a recipe, not a result: each action recomputes it from its lineage, all the way
        from the input. When several actions use the same RDD (an interactive session, an iterative
        algorithm), ask Spark to keep its partitions after computing them, with `cache()` or
        `persist(level)`. This notebook makes the recomputation visible, shows the storage levels,
        the stages Spark skips because their shuffle output already exists, and `unpersist`.
        """,
        ko="""
        # 5. 영속화(persistence)

        RDD는 결과가 아니라 레시피입니다. 액션을 실행할 때마다 입력부터 리니지를 따라 처음부터 다시 계산합니다.
        같은 RDD를 여러 액션에서 쓴다면(대화형 분석, 반복 알고리즘) `cache()`나 `persist(level)`로 계산한
        파티션을 보관해 달라고 Spark에 요청하세요. 이 노트북에서는 재계산이 일어나는 모습을 눈으로 확인하고,
        스토리지 레벨, 셔플 출력이 이미 있어서 Spark가 건너뛰는 스테이지, 그리고 `unpersist`를 살펴봅니다.
        """,
    ),
    code(
        """
        from operator import add

        from pyspark import SparkConf, SparkContext, StorageLevel

        conf = SparkConf().setMaster("local[2]").setAppName("05-persistence")
        sc = SparkContext.getOrCreate(conf)
        """
    ),
    md(
        """
        ## Seeing recomputation

        An accumulator incremented inside `map` counts how many times lines are parsed. (That is
        exactly why updates in transformations are unreliable as results: they count computations.)
        """,
        ko="""
        ## 재계산 눈으로 보기

        `map` 안에서 어큐뮬레이터를 늘리면 줄이 몇 번 파싱되었는지 셀 수 있습니다. (트랜스포메이션 안의 갱신을
        결과로 믿을 수 없는 이유가 바로 이것입니다. 그 값은 계산 횟수를 세기 때문입니다.)
        """,
    ),
    code(
        """
        parsed = sc.accumulator(0)

        def parse(line):
            parsed.add(1)
            return line.lower().split()

        words = sc.textFile("data/README.md").map(parse)
        print(words.count(), "lines; parsed so far:", parsed.value)
        print(words.filter(lambda ws: "spark" in ws).count(), "lines mention spark; parsed so far:", parsed.value)
        """
    ),
    md(
        """
        Two actions, two full computations. Now cache the RDD: the first action computes and stores
        the partitions, the next ones read them.
        """,
        ko="""
        액션 두 번에 계산도 두 번입니다. 이제 RDD를 캐시해 봅시다. 첫 액션이 파티션을 계산해 저장하고, 그다음
        액션부터는 저장된 파티션을 읽습니다.
        """,
    ),
    code(
        """
        words.cache()
        print("cached:", words.is_cached, "| level:", words.getStorageLevel())
        before = parsed.value
        words.count()
        print("first action parsed", parsed.value - before, "lines")
        before = parsed.value
        words.filter(lambda ws: "spark" in ws).count()
        words.flatMap(lambda ws: ws).count()
        print("two more actions parsed", parsed.value - before, "lines")
        """
    ),
    md(
        """
        The Sparklet kernel marks cached RDDs in the DAG it draws; here is the DAG of a word count
        built on top of the cached `words`:
        """,
        ko="""
        Sparklet 커널은 DAG를 그릴 때 캐시된 RDD를 따로 표시합니다. 캐시된 `words` 위에 만든 단어 세기의 DAG를
        그려 봅시다.
        """,
    ),
    sparklet(
        """
        word_counts = words.flatMap(lambda ws: ws).map(lambda w: (w, 1)).reduceByKey(add)
        %spark dag word_counts
        """
    ),
    md(
        """
        ## Storage levels

        `cache()` is `persist(StorageLevel.MEMORY_ONLY)`. Other levels trade memory for disk or
        for safety:

        | Level | Meaning |
        |---|---|
        | `MEMORY_ONLY` | keep partitions in memory; those that do not fit are recomputed when needed |
        | `MEMORY_AND_DISK` | keep in memory, spill the partitions that do not fit to disk |
        | `DISK_ONLY` | keep partitions on disk only |
        | `MEMORY_ONLY_2`, `MEMORY_AND_DISK_2`, ... | the same, with each partition replicated on two executors |
        | `OFF_HEAP` | keep partitions in off-heap memory |

        In Python, stored partitions are always pickled ("serialized"). A level can only be set
        once per RDD: unpersist it first to change it.
        """,
        ko="""
        ## 스토리지 레벨

        `cache()`는 `persist(StorageLevel.MEMORY_ONLY)`와 같습니다. 다른 레벨은 메모리 대신 디스크를 쓰거나
        안전성을 높입니다.

        | 레벨 | 의미 |
        |---|---|
        | `MEMORY_ONLY` | 파티션을 메모리에 보관. 들어가지 않는 파티션은 필요할 때 다시 계산 |
        | `MEMORY_AND_DISK` | 메모리에 보관하고, 들어가지 않는 파티션은 디스크에 씀 |
        | `DISK_ONLY` | 파티션을 디스크에만 보관 |
        | `MEMORY_ONLY_2`, `MEMORY_AND_DISK_2`, ... | 위와 같고, 파티션마다 익스큐터 두 곳에 복제 |
        | `OFF_HEAP` | 파티션을 오프힙 메모리에 보관 |

        파이썬에서는 보관하는 파티션이 언제나 피클(직렬화)된 형태입니다. 한 RDD의 레벨은 한 번만 정할 수 있으므로,
        바꾸려면 먼저 unpersist하세요.
        """,
    ),
    code(
        """
        for name in ["MEMORY_ONLY", "MEMORY_AND_DISK", "DISK_ONLY", "MEMORY_ONLY_2", "OFF_HEAP"]:
            print(f"{name:16}", getattr(StorageLevel, name))
        """
    ),
    code(
        """
        on_disk = sc.parallelize(range(1000), 4).map(lambda x: x * x).persist(StorageLevel.DISK_ONLY)
        print(on_disk.sum(), on_disk.getStorageLevel() == StorageLevel.DISK_ONLY)
        try:
            on_disk.persist(StorageLevel.MEMORY_ONLY)
        except Exception:
            print("a persisted RDD cannot change its storage level")
        """
    ),
    md(
        """
        ## `unpersist` and recomputation

        `unpersist()` drops the stored partitions. Spark also drops partitions on its own when
        memory runs short (least recently used first), and loses them when an executor dies
        (notebook 6). Either way nothing breaks: the next action recomputes the missing partitions
        from the lineage, which our accumulator shows.
        """,
        ko="""
        ## `unpersist`와 재계산

        `unpersist()`는 보관한 파티션을 버립니다. 메모리가 모자라면 Spark가 스스로 파티션을 내보내기도 하고
        (가장 오래 쓰이지 않은 것부터), 익스큐터가 죽으면 그 파티션을 잃기도 합니다(6장). 어느 경우든 문제는
        생기지 않습니다. 다음 액션이 빠진 파티션을 리니지로부터 다시 계산하며, 어큐뮬레이터가 그것을 보여 줍니다.
        """,
    ),
    code(
        """
        words.unpersist()
        print("cached:", words.is_cached)
        before = parsed.value
        words.count()
        print("after unpersist, the action parsed", parsed.value - before, "lines again")
        """
    ),
    md(
        """
        ## Skipped stages: shuffle files are kept too

        Even without `cache()`, Spark keeps the files written by a shuffle. When a later job needs
        the same shuffle, the stages that wrote it are **skipped**, and the job starts from the
        shuffle files. Here the `map` before `reduceByKey` runs only once, for two jobs:
        """,
        ko="""
        ## 건너뛴 스테이지: 셔플 파일도 남아 있습니다

        `cache()`를 하지 않아도 Spark는 셔플이 쓴 파일을 보관합니다. 나중 잡이 같은 셔플을 필요로 하면 그 셔플을
        쓴 스테이지는 **건너뛰고(skipped)**, 잡은 셔플 파일에서 시작합니다. 아래에서 `reduceByKey` 앞의 `map`은
        잡이 두 번 실행되어도 한 번만 실행됩니다.
        """,
    ),
    code(
        """
        mapped = sc.accumulator(0)

        def pair_up(word):
            mapped.add(1)
            return (word, 1)

        counts = sc.textFile("data/README.md").flatMap(str.split).map(pair_up).reduceByKey(add)
        print(counts.count(), "distinct words; map ran", mapped.value, "times")
        print(counts.filter(lambda wc: wc[1] > 5).count(), "frequent words; map ran", mapped.value, "times")
        """
    ),
    md(
        """
        In the Sparklet job display of the second job, the first stage is marked *skipped*. (The
        same count shows up in Spark's web UI as "skipped stages".)

        ## Exercises

        1. Persist `counts` from above with `MEMORY_AND_DISK`, run `counts.count()` and
           `counts.sortByKey().first()`, and check with an accumulator placed in a `mapValues` after
           the `reduceByKey` how many times the reduced records were computed.
        2. Unpersist it and check its storage level again.
        """,
        ko="""
        Sparklet 잡 표시에서 두 번째 잡의 첫 스테이지에 *skipped*(건너뜀) 표시가 붙습니다. (Spark 웹 UI에서도
        같은 수가 "skipped stages"로 나타납니다.)

        ## 연습 문제

        1. 위의 `counts`에 `mapValues`를 붙이고 그 안에 어큐뮬레이터를 넣은 다음 `MEMORY_AND_DISK`로
           영속화하세요. `count()`와 `sortByKey().first()`를 실행하고, 합쳐진 레코드가 몇 번 계산되었는지
           어큐뮬레이터로 확인해 보세요.
        2. unpersist한 다음 스토리지 레벨을 다시 확인해 보세요.
        """,
    ),
    exercise(),
    solution(
        """
        reduced = sc.accumulator(0)

        def note(n):
            reduced.add(1)
            return n

        kept = counts.mapValues(note).persist(StorageLevel.MEMORY_AND_DISK)
        print(kept.count(), kept.sortByKey().first())
        print("reduced records computed:", reduced.value, "for", kept.count(), "distinct words")
        """
    ),
    exercise(),
    solution(
        """
        kept.unpersist()
        print(kept.is_cached, kept.getStorageLevel())
        """
    ),
    code("sc.stop()"),
]
