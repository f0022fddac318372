from cell import code, exercise, md, solution
from nb09 import OPERATORS

CELLS = [
    md(
        """
        # 10. Spark SQL and temporary views

        Everything a DataFrame does can also be written in SQL. Register a DataFrame as a
        **temporary view** and query it with `spark.sql("SELECT ...")`: the result is again a
        DataFrame, planned by the same optimizer and run as the same jobs. Mix the two freely:
        SQL where a query reads best as SQL, DataFrame methods where Python helps.
        """,
        ko="""
        # 10. Spark SQL과 임시 뷰

        DataFrame으로 하는 일은 모두 SQL로도 쓸 수 있습니다. DataFrame을 **임시 뷰(temporary view)**로 등록하고
        `spark.sql("SELECT ...")`로 질의하면 됩니다. 결과는 다시 DataFrame이고, 같은 옵티마이저가 계획을 세워 같은
        잡으로 실행합니다. 둘을 자유롭게 섞어 쓰세요. SQL로 읽기 좋은 쿼리는 SQL로, 파이썬이 도움이 되는 곳에서는
        DataFrame 메서드로 쓰면 됩니다.
        """,
    ),
    code(
        """
        from pyspark.sql import Row, SparkSession, Window
        from pyspark.sql import functions as F
        from pyspark.errors import AnalysisException

        spark = SparkSession.builder.master("local[2]").appName("10-spark-sql-and-temp-views").getOrCreate()
        sc = spark.sparkContext
        people = spark.read.csv("data/people.csv", header=True, inferSchema=True)
        purchases = spark.read.csv("data/purchases.csv", header=True, inferSchema=True)
        """
    ),
    md(
        """
        ## Temporary views

        `createOrReplaceTempView(name)` gives a DataFrame a name that SQL can use. The view lives
        as long as the session and is visible only to it; nothing is copied or computed when you
        create it. `spark.catalog.listTables()` lists the views.
        """,
        ko="""
        ## 임시 뷰

        `createOrReplaceTempView(name)`은 DataFrame에 SQL에서 쓸 수 있는 이름을 붙입니다. 뷰는 세션이 살아 있는
        동안만 있고 그 세션에서만 보입니다. 뷰를 만들 때는 아무것도 복사하거나 계산하지 않습니다.
        `spark.catalog.listTables()`로 뷰 목록을 볼 수 있습니다.
        """,
    ),
    code(
        """
        people.createOrReplaceTempView("people")
        purchases.createOrReplaceTempView("purchases")
        print(sorted(t.name for t in spark.catalog.listTables()))
        spark.sql("SELECT name, age FROM people WHERE city = 'Berlin' ORDER BY age").show()
        """
    ),
    md(
        """
        ## `GROUP BY`, `HAVING` and `ORDER BY`

        `HAVING` filters groups after aggregating, as `WHERE` filters rows before. As with
        `groupBy`, only `ORDER BY` fixes the order of the result.
        """,
        ko="""
        ## `GROUP BY`, `HAVING`, `ORDER BY`

        `WHERE`가 집계 전에 행을 거르듯이, `HAVING`은 집계 후에 그룹을 거릅니다. `groupBy`와 마찬가지로 결과의
        순서는 `ORDER BY`만 정해 줍니다.
        """,
    ),
    code(
        """
        spark.sql(\"\"\"
            SELECT city, count(*) AS people, max(age) AS oldest
            FROM people
            GROUP BY city
            HAVING count(*) > 1
            ORDER BY people DESC, city
        \"\"\").show()
        """
    ),
    md(
        """
        Without `AS`, Spark names a result column after its expression, as the DataFrame API does:
        """,
        ko="""
        `AS`가 없으면 Spark는 DataFrame API와 마찬가지로 결과 열 이름을 식 그대로 붙입니다.
        """,
    ),
    code(
        """
        result = spark.sql("SELECT dept, count(1), avg(age), age + 1 FROM people GROUP BY dept, age + 1")
        print(result.columns)
        """
    ),
    md(
        """
        ## Joins and common table expressions

        Views join like tables. A `WITH` clause (a common table expression) names a sub-query so
        the main query reads top to bottom:
        """,
        ko="""
        ## 조인과 공통 테이블 식

        뷰는 테이블처럼 조인할 수 있습니다. `WITH` 절(공통 테이블 식, CTE)은 하위 쿼리에 이름을 붙여서 본 쿼리를
        위에서 아래로 읽을 수 있게 해 줍니다.
        """,
    ),
    code(
        """
        spark.sql(\"\"\"
            SELECT p.name, p.city, b.item, b.amount
            FROM people p JOIN purchases b ON p.name = b.name
            WHERE b.amount >= 300
            ORDER BY b.amount DESC
        \"\"\").show()
        """
    ),
    code(
        """
        spark.sql(\"\"\"
            WITH spent AS (
                SELECT name, sum(amount) AS total FROM purchases GROUP BY name
            )
            SELECT p.city, sum(s.total) AS total, count(*) AS buyers
            FROM spent s JOIN people p ON s.name = p.name
            GROUP BY p.city
            ORDER BY total DESC
        \"\"\").show()
        """
    ),
    md(
        """
        ## SQL inside DataFrame code: `expr` and `selectExpr`

        A SQL expression can stand wherever a column does: `F.expr("...")`, `selectExpr(...)`,
        and a string given to `filter`/`where`.
        """,
        ko="""
        ## DataFrame 코드 안의 SQL: `expr`와 `selectExpr`

        SQL 식은 열이 들어갈 자리 어디에나 쓸 수 있습니다. `F.expr("...")`, `selectExpr(...)`, 그리고
        `filter`/`where`에 넘기는 문자열이 그렇습니다.
        """,
    ),
    code(
        """
        people.selectExpr("name", "upper(city) AS city", "age >= 35 AS senior").orderBy("name").show(4)
        people.where("dept = 'design' AND age < 33").select("name", F.expr("age * 12").alias("months")).show()
        """
    ),
    md(
        """
        ## Lab: from an RDD of `Row` to SQL

        A classic exercise of Spark courses: parse a text file with RDD operations into `Row`s,
        turn the RDD into a DataFrame, register it as a view, and answer questions in SQL. Here
        the file is `data/purchases.csv` read as plain text.
        """,
        ko="""
        ## 실습: `Row`의 RDD에서 SQL까지

        Spark 강의의 고전적인 실습입니다. 텍스트 파일을 RDD 연산으로 파싱해 `Row`로 만들고, RDD를 DataFrame으로
        바꾸고, 뷰로 등록한 다음, SQL로 질문에 답합니다. 여기서는 `data/purchases.csv`를 일반 텍스트로 읽습니다.
        """,
    ),
    code(
        """
        lines = sc.textFile("data/purchases.csv")
        header = lines.first()
        records = (lines.filter(lambda line: line != header)
                   .map(lambda line: line.split(","))
                   .map(lambda f: Row(buyer=f[0], item=f[1], amount=int(f[2]))))
        print(records.take(2))
        orders = spark.createDataFrame(records)
        orders.printSchema()
        orders.createOrReplaceTempView("orders")
        """
    ),
    code(
        """
        spark.sql(\"\"\"
            SELECT item, count(*) AS times, sum(amount) AS revenue
            FROM orders
            GROUP BY item
            ORDER BY revenue DESC, item
        \"\"\").show()
        """
    ),
    md(
        """
        The answer is a DataFrame, and `.rdd` takes you back to an RDD of `Row`s:
        """,
        ko="""
        답은 DataFrame이고, `.rdd`를 쓰면 다시 `Row`의 RDD로 돌아갑니다.
        """,
    ),
    code(
        """
        big = spark.sql("SELECT buyer, amount FROM orders WHERE amount > 1000")
        print(sorted(big.rdd.map(lambda row: f"{row.buyer}: {row.amount}").collect()))
        """
    ),
    md(
        """
        ## Window functions

        A window function computes a value for each row from the rows of its group, without
        collapsing them into one: here each person's rank by age within their city. In SQL it is
        `... OVER (PARTITION BY ... ORDER BY ...)`, in Python `F.rank().over(Window...)`.
        """,
        ko="""
        ## 윈도 함수

        윈도 함수는 그룹의 행들을 하나로 합치지 않고, 각 행마다 그 그룹의 행들로 값을 계산합니다. 여기서는 도시
        안에서 나이로 매긴 순위입니다. SQL에서는 `... OVER (PARTITION BY ... ORDER BY ...)`, 파이썬에서는
        `F.rank().over(Window...)`로 씁니다.
        """,
    ),
    code(
        """
        spark.sql(\"\"\"
            SELECT city, name, age, rank() OVER (PARTITION BY city ORDER BY age DESC) AS rank
            FROM people
            ORDER BY city, rank
        \"\"\").show()
        """
    ),
    code(
        """
        by_city = Window.partitionBy("city").orderBy(F.desc("age"))
        oldest = people.withColumn("rank", F.rank().over(by_city)).where("rank = 1")
        oldest.select("city", "name", "age").orderBy("city").show()
        """
    ),
    md(
        """
        ## How Spark runs a query: `explain()`

        `explain()` prints the physical plan Spark chose. Read it from the bottom up: the scan of
        the file, the filter, a partial aggregate in each partition, the `Exchange` (a shuffle,
        and so a stage boundary), the final aggregate. SQL and the DataFrame API give the same
        plan. The numbers after `#` are ids Spark gives each column; they change from run to run,
        so we print only the operator names:
        """,
        ko="""
        ## Spark가 쿼리를 실행하는 방법: `explain()`

        `explain()`은 Spark가 고른 물리 계획을 출력합니다. 아래에서 위로 읽으세요. 파일 스캔, 필터, 파티션마다
        하는 부분 집계, `Exchange`(셔플, 즉 스테이지 경계), 최종 집계 순서입니다. SQL과 DataFrame API는 같은
        계획을 만듭니다. `#` 뒤의 숫자는 Spark가 열마다 붙이는 id로 실행할 때마다 바뀌므로, 여기서는 연산자
        이름만 출력합니다.
        """,
    ),
    code(
        OPERATORS
        + """
        in_sql = spark.sql("SELECT dept, count(*) AS n FROM people WHERE age > 30 GROUP BY dept")
        in_python = people.where(people.age > 30).groupBy("dept").agg(F.count("*").alias("n"))
        print(operators(in_sql))
        print(operators(in_sql) == operators(in_python))
        """
    ),
    md(
        """
        ## Errors you will meet

        Spark checks names when you build a query, not when it runs: a misspelt column or view
        raises `AnalysisException` at once. Each error has a condition (`e.getCondition()`), and
        its message explains it: for an unknown column, the columns you may have meant; for an
        unknown view, where Spark looked; for a column missing from `GROUP BY`, how to fix the
        query. Print `e` to read the whole message.
        """,
        ko="""
        ## 자주 만나는 오류

        Spark는 쿼리를 실행할 때가 아니라 만들 때 이름을 검사합니다. 열이나 뷰 이름을 잘못 쓰면 바로
        `AnalysisException`이 납니다. 오류마다 조건(`e.getCondition()`)이 있고, 메시지가 그 내용을 설명합니다.
        모르는 열이면 뜻했을 법한 열 이름을, 모르는 뷰면 Spark가 찾아본 곳을, `GROUP BY`에 없는 열이면 쿼리를
        고치는 방법을 알려 줍니다. 메시지 전체를 보려면 `e`를 출력하세요.
        """,
    ),
    code(
        """
        for query in ["SELECT nme FROM people", "SELECT * FROM peple", "SELECT city, age FROM people GROUP BY city"]:
            try:
                spark.sql(query)
            except AnalysisException as e:
                print(query, "->", e.getCondition())
        """
    ),
    md(
        """
        ## Exercises

        1. In SQL: for each department, the number of people and their youngest age, only for
           departments with people in more than one city, ordered by department.
        2. Using the `orders` view from the lab: the buyers who spent more than 1000 in total,
           with their total, largest first (a `WITH` clause or `HAVING`, your choice).
        3. With a window function: each purchase's share of its buyer's total spending, as a
           percentage rounded to one decimal, ordered by buyer and item.
        """,
        ko="""
        ## 연습 문제

        1. SQL로: 부서마다 인원수와 가장 어린 나이를 구하되, 사람들이 두 곳 이상의 도시에 있는 부서만, 부서 순서로
           보여 주세요.
        2. 실습의 `orders` 뷰로: 모두 합쳐 1000보다 많이 쓴 구매자와 그 총액을 총액이 큰 순서로 보여 주세요(`WITH`
           절이나 `HAVING` 중 편한 것을 쓰세요).
        3. 윈도 함수로: 각 구매가 그 구매자의 총지출에서 차지하는 비율을 소수점 한 자리로 반올림한 백분율로 구해,
           구매자와 품목 순서로 보여 주세요.
        """,
    ),
    exercise(),
    solution(
        """
        spark.sql(\"\"\"
            SELECT dept, count(*) AS people, min(age) AS youngest
            FROM people
            GROUP BY dept
            HAVING count(DISTINCT city) > 1
            ORDER BY dept
        \"\"\").show()
        """
    ),
    exercise(),
    solution(
        """
        spark.sql(\"\"\"
            SELECT buyer, sum(amount) AS total
            FROM orders
            GROUP BY buyer
            HAVING sum(amount) > 1000
            ORDER BY total DESC
        \"\"\").show()
        """
    ),
    exercise(),
    solution(
        """
        spark.sql(\"\"\"
            SELECT buyer, item, amount,
                   round(100 * amount / sum(amount) OVER (PARTITION BY buyer), 1) AS pct
            FROM orders
            ORDER BY buyer, item
        \"\"\").show()
        """
    ),
    code("spark.stop()"),
]
