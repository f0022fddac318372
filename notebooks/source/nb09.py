from cell import code, exercise, md, solution, sparklet

# Notebook 10 prints physical plans the same way: the helper is written once here.
OPERATORS = '''
        import contextlib
        import io


        def operators(df):
            """The physical operators of df's plan, top down, as explain() prints them."""
            text = io.StringIO()
            with contextlib.redirect_stdout(text):
                df.explain()
            lines = text.getvalue().split("== Physical Plan ==")[1].strip().splitlines()
            return [line.lstrip(" +-:").split(" ")[0].split("(")[0] for line in lines if line.strip()]

'''

CELLS = [
    md(
        """
        # 9. DataFrames

        An RDD holds Python objects that Spark cannot look inside. A **DataFrame** holds rows with
        named, typed columns, like a table. Because Spark knows the columns, it plans your query
        before running it: it reads only the columns you use, combines partial results before a
        shuffle, and runs the work as the same jobs, stages and tasks you met with RDDs. Spark's
        guide recommends DataFrames over RDDs for most new code; this notebook shows why.
        """,
        ko="""
        # 9. DataFrame

        RDD에는 Spark가 안을 들여다볼 수 없는 파이썬 객체가 담깁니다. **DataFrame**에는 표처럼 이름과 타입이 있는
        열로 된 행이 담깁니다. Spark가 열을 알기 때문에 쿼리를 실행하기 전에 계획을 세웁니다. 사용하는 열만 읽고,
        셔플 전에 부분 결과를 합치며, RDD에서 본 것과 같은 잡, 스테이지, 태스크로 작업을 실행합니다. Spark 가이드는
        새 코드 대부분에 RDD보다 DataFrame을 권합니다. 이 노트북에서 그 이유를 살펴봅니다.
        """,
    ),
    md(
        """
        ## `SparkSession` and `spark`

        A DataFrame program starts from a **`SparkSession`**, built with `SparkSession.builder`.
        `getOrCreate()` returns the running session if there is one; the session wraps a
        `SparkContext`, available as `spark.sparkContext`, so RDDs and DataFrames live side by side.
        (In the Sparklet kernel a session named `spark` is already there beside `sc`; building one
        here gives the same session a plain PySpark program would.)
        """,
        ko="""
        ## `SparkSession`과 `spark`

        DataFrame 프로그램은 `SparkSession.builder`로 만드는 **`SparkSession`**에서 시작합니다. `getOrCreate()`는
        실행 중인 세션이 있으면 그 세션을 돌려줍니다. 세션은 `SparkContext`를 감싸고 있고 이것은
        `spark.sparkContext`로 쓸 수 있으므로, RDD와 DataFrame을 나란히 쓸 수 있습니다. (Sparklet 커널에는 `sc`
        옆에 `spark`라는 세션이 이미 있습니다. 여기서 세션을 만들면 일반 PySpark 프로그램과 같은 세션을 얻습니다.)
        """,
    ),
    code(
        """
        from pyspark.sql import Row, SparkSession
        from pyspark.sql import functions as F

        spark = SparkSession.builder.master("local[2]").appName("09-dataframes").getOrCreate()
        sc = spark.sparkContext
        print(type(spark).__name__, type(sc).__name__)
        """
    ),
    md(
        """
        ## Creating DataFrames

        `spark.createDataFrame` takes a list of tuples with the column names, a list of `Row`s
        (the names come from the rows), or an RDD. Spark infers each column's type from the
        values: Python `int` becomes `bigint` (`long`), `str` becomes `string`.
        """,
        ko="""
        ## DataFrame 만들기

        `spark.createDataFrame`에는 튜플 리스트와 열 이름, `Row` 리스트(열 이름은 행에서 가져옵니다), 또는 RDD를
        넘길 수 있습니다. Spark는 값에서 각 열의 타입을 추론합니다. 파이썬 `int`는 `bigint`(`long`)가 되고,
        `str`은 `string`이 됩니다.
        """,
    ),
    code(
        """
        teams = spark.createDataFrame([("engineering", "Ana"), ("design", "Bo"), ("sales", "Jisoo")], ["dept", "lead"])
        teams.show()
        print(teams.columns)
        print(teams.dtypes)
        """
    ),
    code(
        """
        rows = [Row(city="Lisbon", country="Portugal"), Row(city="Seoul", country="Korea"),
                Row(city="Berlin", country="Germany")]
        countries = spark.createDataFrame(rows)
        countries.printSchema()
        countries.show()
        """
    ),
    md(
        """
        An RDD of `Row`s becomes a DataFrame the same way (or with `rdd.toDF()`), and every
        DataFrame has an RDD of `Row`s behind it as `df.rdd`:
        """,
        ko="""
        `Row`로 된 RDD도 같은 방법으로(또는 `rdd.toDF()`로) DataFrame이 되고, 모든 DataFrame은 그 뒤에 `Row`의
        RDD를 `df.rdd`로 가지고 있습니다.
        """,
    ),
    code(
        """
        squares_rdd = sc.parallelize(range(1, 6)).map(lambda n: Row(n=n, square=n * n))
        squares = spark.createDataFrame(squares_rdd)
        squares.show()
        print(squares.rdd.map(lambda row: row.square).sum())
        print(squares.first())
        """
    ),
    md(
        """
        ## Reading files

        `spark.read` reads CSV, JSON, text and Parquet. A CSV file's first line is data unless you
        say `header=True`, and every column is a string unless you ask Spark to `inferSchema`
        (which reads the file once more, as its own job).
        """,
        ko="""
        ## 파일 읽기

        `spark.read`는 CSV, JSON, 텍스트, Parquet을 읽습니다. CSV 파일의 첫 줄은 `header=True`라고 하지 않으면
        데이터로 읽히고, Spark에게 `inferSchema`를 요청하지 않으면 모든 열이 문자열이 됩니다(스키마 추론은 파일을
        한 번 더 읽으며, 그 자체로 잡 하나입니다).
        """,
    ),
    code(
        """
        spark.read.csv("data/people.csv").printSchema()
        people = spark.read.csv("data/people.csv", header=True, inferSchema=True)
        people.printSchema()
        people.show(5)
        print(people.count(), "people")
        """
    ),
    md(
        """
        JSON files hold one object per line; fields missing from a line become `null`, and the
        schema is inferred from all the lines (columns in alphabetical order):
        """,
        ko="""
        JSON 파일에는 한 줄에 객체 하나가 들어 있습니다. 어떤 줄에 없는 필드는 `null`이 되고, 스키마는 모든 줄에서
        추론합니다(열은 알파벳 순서입니다).
        """,
    ),
    code(
        """
        profiles = spark.read.json("data/people.json")
        profiles.printSchema()
        profiles.show()
        """
    ),
    md(
        """
        ## Selecting, filtering and new columns

        Columns are written as `F.col("age")`, `people.age` or `people["age"]`. Expressions on
        columns build new columns; nothing runs until an action such as `show()` or `count()`.
        """,
        ko="""
        ## 선택, 필터, 새 열

        열은 `F.col("age")`, `people.age`, `people["age"]`처럼 씁니다. 열에 대한 식은 새 열을 만들고, `show()`나
        `count()` 같은 액션을 호출하기 전에는 아무것도 실행되지 않습니다.
        """,
    ),
    code(
        """
        people.select("name", "age").show(3)
        people.select(people.name, (people.age + 1).alias("next_year")).show(3)
        people.filter(F.col("age") > 40).show()
        """
    ),
    code(
        """
        decades = people.withColumn("decade", (F.col("age") / 10).cast("int") * 10)
        decades.where(people.city == "Seoul").select("name", "age", "decade").orderBy("name").show()
        """
    ),
    md(
        """
        ## Grouping and aggregating

        `groupBy(...)` followed by `count()` or `agg(...)` is the DataFrame `reduceByKey`. Spark
        does not promise an order for grouped rows, so sort with `orderBy` before you `show`.
        """,
        ko="""
        ## 그룹 묶기와 집계

        `groupBy(...)` 다음에 `count()`나 `agg(...)`를 쓰는 것이 DataFrame판 `reduceByKey`입니다. Spark는 묶인 행의
        순서를 보장하지 않으므로 `show` 전에 `orderBy`로 정렬하세요.
        """,
    ),
    code(
        """
        people.groupBy("city").count().orderBy("city").show()
        """
    ),
    code(
        """
        by_dept = people.groupBy("dept").agg(
            F.count("*").alias("people"), F.round(F.avg("age"), 1).alias("avg_age"), F.max("age").alias("oldest"))
        by_dept.orderBy(F.desc("people"), "dept").show()
        """
    ),
    md(
        """
        ## The jobs behind a `groupBy`

        A `groupBy` runs like a `reduceByKey`: Spark first counts within each partition (a
        partial `HashAggregate`), shuffles the partial counts by city (an `Exchange`, where the
        stage boundary falls), then adds them up (the final `HashAggregate`). The physical plan
        shows these operators; here are their names, from the top of the plan down:
        """,
        ko="""
        ## `groupBy` 뒤의 잡

        `groupBy`는 `reduceByKey`처럼 실행됩니다. Spark는 먼저 파티션 안에서 개수를 세고(부분 `HashAggregate`),
        부분 개수를 도시별로 셔플한 다음(`Exchange`, 여기가 스테이지 경계입니다), 그것을 모두 더합니다(최종
        `HashAggregate`). 물리 계획에 이 연산자들이 나옵니다. 계획의 위에서 아래로, 연산자 이름은 다음과 같습니다.
        """,
    ),
    code(
        OPERATORS
        + """
        print(operators(people.filter(people.age > 30).groupBy("city").count()))
        """
    ),
    md(
        """
        Run the aggregation on its own and look at the job display under the cell: **one job of
        two stages**, cut at the `Exchange`. The first stage runs the scan and the partial
        aggregate and writes the shuffle; the second reads it and finishes the count. (Apache
        Spark's adaptive query execution may first run the shuffle's stage as a job of its own.)
        """,
        ko="""
        집계만 따로 실행하고 셀 아래의 잡 표시를 보세요. `Exchange`에서 나뉜 **스테이지 두 개로 된 잡 하나**가
        보입니다. 첫 스테이지는 스캔과 부분 집계를 실행하고 셔플을 쓰며, 둘째 스테이지는 그것을 읽어 개수 세기를
        마칩니다. (Apache Spark의 적응형 쿼리 실행(AQE)은 셔플 스테이지를 먼저 별도의 잡으로 실행하기도 합니다.)
        """,
    ),
    sparklet(
        """
        people.groupBy("city").count().collect()
        """
    ),
    md(
        """
        ## Joins

        `join(other, on, how)` matches rows on a column; `how` is `"inner"` (the default),
        `"left"`, `"right"`, `"full"`, `"left_semi"` or `"left_anti"`. Ana bought twice, Zoe is
        not in `people.csv`, and several people bought nothing:
        """,
        ko="""
        ## 조인

        `join(other, on, how)`은 열을 기준으로 행을 짝짓습니다. `how`는 `"inner"`(기본값), `"left"`, `"right"`,
        `"full"`, `"left_semi"`, `"left_anti"` 중 하나입니다. Ana는 두 번 샀고, Zoe는 `people.csv`에 없으며, 아무것도
        사지 않은 사람도 여럿 있습니다.
        """,
    ),
    code(
        """
        purchases = spark.read.csv("data/purchases.csv", header=True, inferSchema=True)
        bought = people.join(purchases, "name")
        bought.select("name", "city", "item", "amount").orderBy("name", "item").show()
        """
    ),
    code(
        """
        people.join(purchases, "name", "left_anti").select("name").orderBy("name").show()
        spent = purchases.join(people, "name", "left").groupBy("city").agg(F.sum("amount").alias("spent"))
        spent.orderBy("city").show()
        """
    ),
    md(
        """
        ## Word count, the DataFrame way

        `split` turns a line into an array of words and `explode` makes one row per array element;
        after that, a word count is a `groupBy().count()`. `spark.read.text` gives one row per
        line, in a column named `value`.
        """,
        ko="""
        ## DataFrame 방식의 단어 세기

        `split`은 줄을 단어 배열로 바꾸고, `explode`는 배열 원소마다 행을 하나씩 만듭니다. 그러고 나면 단어 세기는
        `groupBy().count()`입니다. `spark.read.text`는 줄마다 행을 하나 주며, 열 이름은 `value`입니다.
        """,
    ),
    code(
        """
        lines = spark.read.text("data/README.md")
        words = lines.select(F.explode(F.split(F.lower(F.col("value")), "\\\\s+")).alias("word")).where("word != ''")
        word_counts = words.groupBy("word").count()
        word_counts.orderBy(F.desc("count"), "word").show(8)
        print(word_counts.count(), "distinct words")
        """
    ),
    md(
        """
        ## Exercises

        1. Read `data/purchases.csv` and show, per item, the number of purchases and the total
           amount, largest total first (break ties by item).
        2. Which city's people are the oldest on average? Show each city with its average age
           rounded to one decimal, oldest first.
        3. Count the words of `data/README.md` that are longer than six letters with a DataFrame,
           and show the five most frequent (ties by word).
        """,
        ko="""
        ## 연습 문제

        1. `data/purchases.csv`를 읽어, 품목별 구매 횟수와 총액을 총액이 큰 순서로 보여 주세요(같으면 품목 이름
           순서).
        2. 평균 나이가 가장 많은 도시는 어디일까요? 도시마다 소수점 한 자리로 반올림한 평균 나이를 나이가 많은
           순서로 보여 주세요.
        3. DataFrame으로 `data/README.md`에서 여섯 글자보다 긴 단어를 세고, 가장 자주 나오는 다섯 개를 보여
           주세요(같으면 단어 순서).
        """,
    ),
    exercise(),
    solution(
        """
        per_item = purchases.groupBy("item").agg(F.count("*").alias("purchases"), F.sum("amount").alias("total"))
        per_item.orderBy(F.desc("total"), "item").show()
        """
    ),
    exercise(),
    solution(
        """
        per_city = people.groupBy("city").agg(F.round(F.avg("age"), 1).alias("avg_age"))
        per_city.orderBy(F.desc("avg_age"), "city").show()
        """
    ),
    exercise(),
    solution(
        """
        long_words = words.where(F.length("word") > 6).groupBy("word").count()
        long_words.orderBy(F.desc("count"), "word").show(5)
        """
    ),
    code("spark.stop()"),
]
