from cell import code, exercise, md, solution, sparklet

CELLS = [
    md(
        """
        # 1. First steps with Spark

        This notebook introduces the pieces every Spark program has: a **SparkContext** (`sc`)
        that connects your program to the executors, **RDDs** (resilient distributed datasets)
        split into **partitions**, and the difference between **transformations** (lazy) and
        **actions** (which run a job).

        Run the cells from top to bottom with Shift+Enter. Every cell runs unchanged on real
        Apache Spark (PySpark); cells tagged `sparklet-only` use the Sparklet kernel's displays.
        """,
        ko="""
        # 1. Spark 첫걸음

        이 노트북에서는 모든 Spark 프로그램에 들어 있는 기본 요소를 익힙니다. 프로그램을 익스큐터(executor)와
        연결해 주는 **SparkContext**(`sc`), 여러 **파티션**으로 나뉜 **RDD**(resilient distributed
        dataset, 탄력적 분산 데이터셋), 그리고 지연 실행되는 **트랜스포메이션**과 잡(job)을 실제로
        실행시키는 **액션**의 차이입니다.

        위에서부터 차례로 Shift+Enter로 셀을 실행하세요. 모든 셀은 실제 Apache Spark(PySpark)에서도
        그대로 실행됩니다. `sparklet-only` 태그가 붙은 셀만 Sparklet 커널의 시각화 기능을 사용합니다.
        """,
    ),
    md(
        """
        ## The SparkContext

        A Spark program starts by describing itself with a `SparkConf` (at least a **master URL**,
        which says where the executors run, and an application name) and creating a
        `SparkContext` from it. `SparkContext.getOrCreate` returns the context that already exists
        or creates a new one. (The Sparklet kernel starts a context called `sc` for you; when your
        conf asks for another master or name, the kernel replaces it with yours and says so in one
        line.) There is one active context per program.
        """,
        ko="""
        ## SparkContext

        Spark 프로그램은 먼저 `SparkConf`로 자신을 설명합니다. 최소한 익스큐터가 어디에서 실행될지를 정하는
        **마스터 URL**과 애플리케이션 이름이 필요하고, 이 설정으로 `SparkContext`를 만듭니다.
        `SparkContext.getOrCreate`는 이미 있는 컨텍스트를 돌려주거나 없으면 새로 만듭니다. (Sparklet 커널은
        시작할 때 `sc`라는 컨텍스트를 만들어 둡니다. 여러분의 conf가 다른 마스터나 이름을 요청하면 커널이 그
        컨텍스트를 여러분의 것으로 바꾸고 한 줄로 알려 줍니다.) 프로그램마다 활성 컨텍스트는 하나뿐입니다.
        """,
    ),
    code(
        """
        from pyspark import SparkConf, SparkContext

        conf = SparkConf().setMaster("local[2]").setAppName("01-first-steps")
        sc = SparkContext.getOrCreate(conf)
        """
    ),
    code(
        """
        print("parallelism:", sc.defaultParallelism)
        """
    ),
    md(
        """
        A `SparkConf` is a set of key/value settings. Setters return the conf itself, so they chain;
        `get` reads a setting back, with an optional default.
        """,
        ko="""
        `SparkConf`는 키/값 설정의 모음입니다. 설정 메서드는 conf 자신을 돌려주므로 이어서 호출할 수 있고,
        `get`으로 값을 다시 읽을 수 있습니다(없을 때 쓸 기본값도 줄 수 있습니다).
        """,
    ),
    code(
        """
        demo = SparkConf().setMaster("local[4]").setAppName("demo").set("spark.executor.memory", "1g")
        print(demo.get("spark.master"))
        print(demo.get("spark.executor.memory"))
        print(demo.get("spark.no.such.key", "a default"))
        """
    ),
    md(
        """
        ### Master URLs

        | Master URL | Meaning |
        |---|---|
        | `local` | one executor thread on this machine, no parallelism |
        | `local[K]` | K parallel tasks on this machine (use the number of cores) |
        | `local[*]` | as many parallel tasks as this machine has cores |
        | `local[K,F]` | K parallel tasks, and a task may fail F-1 times before the job fails (notebook 6) |
        | `spark://host:7077` | a Spark standalone cluster |
        | `yarn` | a Hadoop YARN cluster |
        | `k8s://https://host:443` | a Kubernetes cluster |

        The program itself does not change from one to the other: only the master URL does.
        """,
        ko="""
        ### 마스터 URL

        | 마스터 URL | 의미 |
        |---|---|
        | `local` | 이 컴퓨터에서 익스큐터 스레드 하나, 병렬 처리 없음 |
        | `local[K]` | 이 컴퓨터에서 태스크 K개를 동시에 실행 (보통 코어 수만큼) |
        | `local[*]` | 이 컴퓨터의 코어 수만큼 태스크를 동시에 실행 |
        | `local[K,F]` | 태스크 K개를 동시에 실행하고, 한 태스크가 F-1번까지 실패해도 잡을 이어감 (6장) |
        | `spark://host:7077` | Spark 스탠드얼론 클러스터 |
        | `yarn` | Hadoop YARN 클러스터 |
        | `k8s://https://host:443` | 쿠버네티스 클러스터 |

        어느 환경에서든 프로그램 자체는 바뀌지 않습니다. 바뀌는 것은 마스터 URL뿐입니다.
        """,
    ),
    md(
        """
        ## Parallelized collections

        `sc.parallelize` turns a Python collection from the driver into an RDD. Its elements are
        cut into partitions; each partition is processed by one **task**. By default there are as
        many partitions as `sc.defaultParallelism`; the second argument chooses another number.
        `glom()` turns each partition into a list, which lets us see how the data was cut.
        """,
        ko="""
        ## 병렬화된 컬렉션

        `sc.parallelize`는 드라이버에 있는 파이썬 컬렉션을 RDD로 바꿉니다. 원소들은 파티션으로 나뉘고,
        파티션 하나는 **태스크** 하나가 처리합니다. 파티션 수는 기본적으로 `sc.defaultParallelism`과 같고,
        두 번째 인자로 다른 수를 정할 수 있습니다. `glom()`은 각 파티션을 리스트 하나로 바꿔 주므로
        데이터가 어떻게 나뉘었는지 볼 수 있습니다.
        """,
    ),
    code(
        """
        numbers = sc.parallelize(range(10))
        print(numbers.getNumPartitions())
        print(numbers.glom().collect())
        """
    ),
    code(
        """
        numbers4 = sc.parallelize(range(10), 4)
        print(numbers4.glom().collect())
        print(numbers4.sum(), numbers4.count())
        """
    ),
    md(
        """
        ## Reading text files

        `sc.textFile(path)` makes an RDD with one element per line. The path may be a single file,
        a directory (every file in it is read), a glob pattern, or a comma-separated list of any of
        these. Files ending in `.gz` are decompressed on the fly; since a gzip stream cannot be cut
        in the middle, such a file always becomes exactly one partition.
        """,
        ko="""
        ## 텍스트 파일 읽기

        `sc.textFile(path)`는 한 줄이 원소 하나인 RDD를 만듭니다. 경로로는 파일 하나, 디렉터리(안의 파일을
        모두 읽습니다), 글롭 패턴, 또는 이들을 쉼표로 이은 목록을 쓸 수 있습니다. `.gz`로 끝나는 파일은
        읽으면서 압축을 풉니다. gzip 스트림은 중간에서 자를 수 없으므로 이런 파일은 언제나 파티션
        하나가 됩니다.
        """,
    ),
    code(
        """
        readme = sc.textFile("data/README.md")
        print(readme.count(), "lines in", readme.getNumPartitions(), "partitions")
        print(readme.first())
        """
    ),
    code(
        """
        logs = sc.textFile("data/logs")  # a directory of part files
        print(logs.count(), "lines,", logs.getNumPartitions(), "partitions")
        print([len(part) for part in logs.glom().collect()])
        """
    ),
    code(
        """
        two_days = sc.textFile("data/logs/part-0000[01]")  # a glob
        archive = sc.textFile("data/logs-2024-04-30.txt.gz")  # compressed
        both = sc.textFile("data/logs,data/logs-2024-04-30.txt.gz")  # a list of paths
        for name, rdd in [("glob", two_days), ("gzip", archive), ("list", both)]:
            print(name, rdd.count(), "lines,", rdd.getNumPartitions(), "partitions")
        print(archive.take(2))
        """
    ),
    md(
        """
        `sc.wholeTextFiles(directory)` reads each file as a single `(path, content)` record, which
        suits many small files better than `textFile`.
        """,
        ko="""
        `sc.wholeTextFiles(directory)`는 파일 하나를 `(경로, 내용)` 레코드 하나로 읽습니다. 작은 파일이
        많을 때는 `textFile`보다 이쪽이 잘 맞습니다.
        """,
    ),
    code(
        """
        files = sc.wholeTextFiles("data/logs")
        print(sorted((path.rsplit("/", 1)[-1], len(content)) for path, content in files.collect()))
        """
    ),
    md(
        """
        ## Transformations are lazy, actions run jobs

        A **transformation** (`map`, `filter`, ...) returns a new RDD immediately without touching
        any data: it only records how the new RDD is computed from its parent (its **lineage**).
        An **action** (`count`, `collect`, `first`, ...) needs a result, so Spark turns the lineage
        into a **job**, splits it into **stages** and runs one **task** per partition.

        Even reading a file that does not exist succeeds, until an action needs its lines:
        """,
        ko="""
        ## 트랜스포메이션은 지연 실행되고, 액션이 잡을 실행합니다

        **트랜스포메이션**(`map`, `filter` 등)은 데이터를 건드리지 않고 바로 새 RDD를 돌려줍니다. 새 RDD가
        부모 RDD로부터 어떻게 계산되는지, 즉 **리니지(lineage)** 만 기록해 둡니다. **액션**(`count`,
        `collect`, `first` 등)은 결과가 필요하므로, Spark가 리니지를 **잡**으로 바꾸고 **스테이지**로 나눈
        다음 파티션마다 **태스크**를 하나씩 실행합니다.

        존재하지 않는 파일을 읽는 것조차, 액션이 그 내용을 필요로 하기 전까지는 성공합니다.
        """,
    ),
    code(
        """
        missing = sc.textFile("data/no-such-file.txt")
        shouting = missing.map(lambda line: line.upper())
        print("no error yet: nothing has been read")
        try:
            shouting.count()
        except Exception:
            print("the action failed: only now did Spark look for the file")
        """
    ),
    code(
        """
        lengths = readme.map(len)                  # transformation: nothing runs
        long_lines = lengths.filter(lambda n: n > 80)  # still nothing
        print(long_lines.count())                  # action: one job runs the whole chain
        """
    ),
    md(
        """
        With the Sparklet kernel, each action shows its job under the cell: one bar per stage and
        the job's DAG. You can also draw the DAG of an RDD *before* running anything:
        """,
        ko="""
        Sparklet 커널에서는 액션을 실행할 때마다 셀 아래에 잡이 표시됩니다. 스테이지마다 진행 막대가 하나씩
        있고 잡의 DAG도 함께 나옵니다. 아무것도 실행하기 전에 RDD의 DAG를 그려 볼 수도 있습니다.
        """,
    ),
    sparklet(
        """
        %spark dag long_lines
        """
    ),
    md(
        """
        ## Exercises

        1. How many lines of `data/README.md` contain the word `Spark`?
        2. Put the numbers 1 to 100 into an RDD of 5 partitions and print the sum of each partition.

        Write your answer in the empty cell; the collapsed cell after it holds a solution (click it to
        expand).
        """,
        ko="""
        ## 연습 문제

        1. `data/README.md`에서 `Spark`라는 단어가 들어 있는 줄은 몇 줄일까요?
        2. 1부터 100까지의 수를 파티션 5개짜리 RDD에 넣고, 파티션별 합계를 출력해 보세요.

        빈 셀에 답을 써 보세요. 그 아래 접혀 있는 셀에 풀이가 있습니다(클릭하면 펼쳐집니다).
        """,
    ),
    exercise(),
    solution(
        """
        print(readme.filter(lambda line: "Spark" in line).count())
        """
    ),
    exercise(),
    solution(
        """
        hundred = sc.parallelize(range(1, 101), 5)
        print(hundred.glom().map(sum).collect())
        """
    ),
    md(
        """
        When you are done with a context, stop it: this ends its executors.
        """,
        ko="""
        컨텍스트를 다 썼으면 멈추세요. 그래야 익스큐터들이 종료됩니다.
        """,
    ),
    code(
        """
        sc.stop()
        """
    ),
]
