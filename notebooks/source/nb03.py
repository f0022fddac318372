from cell import code, exercise, md, solution, sparklet

CELLS = [
    md(
        """
        # 3. Closures and shared variables

        The functions you pass to `map`, `filter` or `foreach` do not run in your notebook: Spark
        **serializes** each function together with the variables it uses (its **closure**) and
        ships a copy to every task on the executors. This notebook shows what that means for
        variables you modify, for printing, and for objects, and introduces the two kinds of
        shared variables Spark offers: **accumulators** and **broadcast variables**.
        """,
        ko="""
        # 3. 클로저와 공유 변수

        `map`, `filter`, `foreach`에 넘기는 함수는 노트북 안에서 실행되지 않습니다. Spark는 함수와 그 함수가
        쓰는 변수들(**클로저**)을 함께 **직렬화**해서 익스큐터의 모든 태스크에 사본을 보냅니다. 이 노트북에서는
        이것이 값을 바꾸는 변수, 출력, 객체에 어떤 의미인지 살펴보고, Spark가 제공하는 두 가지 공유 변수인
        **어큐뮬레이터**와 **브로드캐스트 변수**를 소개합니다.
        """,
    ),
    code(
        """
        from pyspark import AccumulatorParam, SparkConf, SparkContext

        conf = SparkConf().setMaster("local[2]").setAppName("03-closures-and-shared-variables")
        sc = SparkContext.getOrCreate(conf)
        data = sc.parallelize(range(1, 11), 2)
        """
    ),
    md(
        """
        ## The counter that stays at zero

        A classic mistake: summing into a driver variable from `foreach`.
        """,
        ko="""
        ## 0에서 움직이지 않는 카운터

        흔히 하는 실수입니다. `foreach` 안에서 드라이버의 변수에 값을 더해 봅시다.
        """,
    ),
    code(
        """
        counter = 0

        def increment_counter(x):
            global counter
            counter += x

        data.foreach(increment_counter)
        print("Counter value:", counter)
        """
    ),
    md(
        """
        Each task received its own *copy* of `counter` and incremented that copy on an executor;
        the driver's `counter` was never touched. In local mode it is tempting to think the tasks
        share memory with the notebook, but they do not (here the executors are separate
        processes), and on a cluster they run on other machines. To aggregate from tasks, use an
        accumulator (below).
        """,
        ko="""
        각 태스크는 `counter`의 *사본*을 받아 익스큐터에서 그 사본을 늘렸을 뿐, 드라이버의 `counter`는 전혀
        바뀌지 않았습니다. 로컬 모드에서는 태스크가 노트북과 메모리를 공유한다고 생각하기 쉽지만 그렇지 않습니다
        (여기서 익스큐터는 별도의 프로세스입니다). 클러스터에서라면 아예 다른 컴퓨터에서 실행됩니다. 태스크에서
        값을 모으려면 어큐뮬레이터를 쓰세요(아래에서 설명합니다).
        """,
    ),
    md(
        """
        ## Printing the elements of an RDD

        `rdd.foreach(print)` prints on the executors, so on a cluster the lines end up in the
        executors' logs, not in front of you. Sparklet collects them and shows them under the cell,
        tagged with their stage and partition:
        """,
        ko="""
        ## RDD의 원소 출력하기

        `rdd.foreach(print)`는 익스큐터에서 출력하므로, 클러스터에서는 그 줄들이 눈앞이 아니라 익스큐터의
        로그에 남습니다. Sparklet은 이 출력을 모아 스테이지와 파티션 정보를 붙여 셀 아래에 보여 줍니다.
        """,
    ),
    sparklet("data.foreach(print)"),
    md(
        """
        To print in the driver, bring the elements there first: `collect()` for a small RDD, or
        `take(n)` to look at a few elements of a large one.
        """,
        ko="""
        드라이버에서 출력하려면 먼저 원소를 드라이버로 가져와야 합니다. 작은 RDD라면 `collect()`, 큰 RDD라면
        `take(n)`으로 몇 개만 가져와 보세요.
        """,
    ),
    code(
        """
        for x in data.take(3):
            print(x)
        """
    ),
    md(
        """
        ## Accumulators

        An accumulator is a variable that tasks can only *add* to, and whose value only the driver
        reads. Spark sends each task's updates back with its result and merges them in the driver.
        """,
        ko="""
        ## 어큐뮬레이터

        어큐뮬레이터는 태스크가 값을 *더하기*만 할 수 있고, 그 값은 드라이버만 읽을 수 있는 변수입니다. Spark는
        각 태스크의 갱신분을 결과와 함께 돌려받아 드라이버에서 합칩니다.
        """,
    ),
    code(
        """
        total = sc.accumulator(0)
        data.foreach(lambda x: total.add(x))
        print("sum:", total.value)

        float_total = sc.accumulator(0.0)
        data.foreach(lambda x: float_total.add(x / 4))
        print("float sum:", float_total.value)
        """
    ),
    md(
        """
        Updates made inside a **transformation** happen only when an action runs it, and happen
        again each time the RDD is recomputed. Only updates made in actions (like `foreach`) are
        guaranteed to be applied exactly once.
        """,
        ko="""
        **트랜스포메이션** 안에서 한 갱신은 액션이 그것을 실행할 때에야 일어나고, RDD가 다시 계산될 때마다 또
        일어납니다. 정확히 한 번 반영된다고 보장되는 것은 액션(`foreach` 등) 안에서 한 갱신뿐입니다.
        """,
    ),
    code(
        """
        seen = sc.accumulator(0)

        def note(x):
            seen.add(1)
            return x

        noted = data.map(note)
        print("before any action:", seen.value)
        noted.count()
        print("after one count:", seen.value)
        noted.count()
        print("after a second count:", seen.value)
        """
    ),
    md(
        """
        ### Custom accumulators

        To accumulate something other than numbers, subclass `AccumulatorParam`: `zero` gives the
        starting value for a task, `addInPlace` merges two values. Here, a vector of counts per
        HTTP status class read from the web server logs.
        """,
        ko="""
        ### 사용자 정의 어큐뮬레이터

        숫자가 아닌 것을 모으려면 `AccumulatorParam`을 상속합니다. `zero`는 태스크가 시작할 때의 값을,
        `addInPlace`는 두 값을 합치는 방법을 정합니다. 여기서는 웹 서버 로그에서 HTTP 상태 코드 종류(2xx,
        4xx, 5xx)별 개수를 벡터로 모아 봅니다.
        """,
    ),
    code(
        """
        class VectorParam(AccumulatorParam):
            def zero(self, value):
                return [0] * len(value)

            def addInPlace(self, v1, v2):
                for i, x in enumerate(v2):
                    v1[i] += x
                return v1


        status_counts = sc.accumulator([0, 0, 0], VectorParam())

        def count_status(line):
            status = int(line.split()[4])
            status_counts.add([int(status < 300), int(400 <= status < 500), int(status >= 500)])

        sc.textFile("data/logs").foreach(count_status)
        print("2xx, 4xx, 5xx:", status_counts.value)
        """
    ),
    md(
        """
        ## Broadcast variables

        A broadcast variable ships a read-only value to each executor once, instead of once per
        task inside every closure. Use it for lookup tables and models. Tasks read it with `.value`.
        """,
        ko="""
        ## 브로드캐스트 변수

        브로드캐스트 변수는 읽기 전용 값을 태스크마다 클로저에 담아 보내는 대신 익스큐터마다 한 번만 보냅니다.
        조회용 테이블이나 모델에 쓰세요. 태스크에서는 `.value`로 읽습니다.
        """,
    ),
    code(
        """
        countries = sc.broadcast({"Lisbon": "PT", "Seoul": "KR", "Shanghai": "CN", "Berlin": "DE"})

        people = sc.textFile("data/people.csv").filter(lambda line: not line.startswith("name,"))
        by_country = people.map(lambda line: (countries.value[line.split(",")[2]], 1)).reduceByKey(lambda a, b: a + b)
        print(sorted(by_country.collect()))
        """
    ),
    code(
        """
        print(countries.value["Seoul"])  # the driver can read it too
        countries.unpersist()  # drop the executors' copies; it is sent again if used again
        """
    ),
    md(
        """
        ## Passing functions and methods

        Spark can ship lambdas, functions defined in the notebook, and functions from modules. Be
        careful with **methods and fields of an object**: `rdd.filter(self.is_match)` or
        `rdd.map(lambda x: self.word in x)` refer to `self`, so Spark must ship *the whole object*
        with every task. If the object is large, that is slow; if it holds something that cannot be
        serialized (a lock, a connection, a file), the job fails.
        """,
        ko="""
        ## 함수와 메서드 넘기기

        Spark는 람다, 노트북에서 정의한 함수, 모듈의 함수를 모두 보낼 수 있습니다. **객체의 메서드와 필드**는
        조심해야 합니다. `rdd.filter(self.is_match)`나 `rdd.map(lambda x: self.word in x)`는 `self`를
        참조하므로, Spark는 태스크마다 *객체 전체*를 보내야 합니다. 객체가 크면 느려지고, 직렬화할 수 없는 것
        (락, 연결, 파일)을 갖고 있으면 잡이 실패합니다.
        """,
    ),
    code(
        """
        import threading


        class Search:
            def __init__(self, word):
                self.word = word
                self.lock = threading.Lock()  # cannot be serialized

            def is_match(self, line):
                return self.word in line

            def count_matches(self, rdd):
                return rdd.filter(self.is_match).count()  # ships self, lock included

            def count_matches_safely(self, rdd):
                word = self.word  # copy the field into a local variable: only the string ships
                return rdd.filter(lambda line: word in line).count()


        readme = sc.textFile("data/README.md")
        search = Search("Spark")
        try:
            search.count_matches(readme)
        except Exception:
            print("count_matches failed: the whole Search object, lock included, had to be shipped")
        print("count_matches_safely:", search.count_matches_safely(readme))
        """
    ),
    md(
        """
        ## Exercises

        1. Count the blank lines of `data/README.md` with an accumulator while counting the words
           of the non-blank lines with an action.
        2. Write an `AccumulatorParam` that keeps the longest line seen, and use it with `foreach`
           over `data/README.md`.
        """,
        ko="""
        ## 연습 문제

        1. `data/README.md`의 빈 줄 수를 어큐뮬레이터로 세면서, 빈 줄이 아닌 줄의 단어 수는 액션으로 세어 보세요.
        2. 지금까지 본 가장 긴 줄을 기억하는 `AccumulatorParam`을 만들어 `data/README.md`에 `foreach`로
           적용해 보세요.
        """,
    ),
    exercise(),
    solution(
        """
        blank = sc.accumulator(0)

        def words_in(line):
            if not line.strip():
                blank.add(1)
            return len(line.split())

        print("words:", readme.map(words_in).sum())
        print("blank lines:", blank.value)
        """
    ),
    exercise(),
    solution(
        """
        class LongestParam(AccumulatorParam):
            def zero(self, value):
                return ""

            def addInPlace(self, v1, v2):
                # Tasks finish in any order: break ties between equally long lines alphabetically.
                return max(v1, v2, key=lambda line: (len(line), line))


        longest = sc.accumulator("", LongestParam())
        readme.foreach(lambda line: longest.add(line))
        print(len(longest.value), longest.value)
        """
    ),
    code("sc.stop()"),
]
