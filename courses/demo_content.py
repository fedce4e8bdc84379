"""Demo catalog content for seed_demo: categories, ~40 courses, words for synthetic ones, and
the demo learners' reviews."""

# fmt: off
VIDEOS = [
    "https://www.youtube.com/watch?v=rfscVS0vtbw",
    "https://www.youtube.com/watch?v=HXV3zeQKqGY",
    "https://www.youtube.com/watch?v=ua-CiDNNj30",
    "https://www.youtube.com/watch?v=r-uOLxNrNk8",
]

CATEGORIES = {
    "Python": "Programming for data work: the language, notebooks and the scientific stack.",
    "SQL and Databases": "Ask questions of data where it lives: queries, modelling, performance.",
    "Statistics": "Reason about uncertainty: distributions, inference and experiments.",
    "Machine Learning": "Models that learn from data, from regression to neural networks.",
    "Data Visualisation": "Charts and dashboards that people understand at a glance.",
    "Data Engineering": "Pipelines, orchestration and storage that keep data flowing.",
    "Spreadsheets and BI": "Excel, Sheets and BI tools for everyday analysis.",
    "Careers and Communication": "Storytelling, stakeholder work and landing a data job.",
}

# category → (title, subtitle, level, price in cents, language, lesson topics)
COURSES: dict[str, list[tuple[str, str, str, int, str, list[str]]]] = {
    "Python": [
        ("Python for Data Analysis", "From your first notebook to tidy data frames",
         "beginner", 0, "en",
         ["Jupyter notebooks", "Variables and types", "Lists and dictionaries",
          "Reading CSV files", "Cleaning data with pandas", "Group by and aggregate"]),
        ("Pandas in Depth", "Indexing, reshaping and joining like a pro",
         "intermediate", 4900, "en",
         ["MultiIndex", "Pivot and melt", "Merging data frames", "Window functions in pandas",
          "Performance tips", "Working with dates"]),
        ("NumPy Essentials", "Arrays, broadcasting and vectorised thinking",
         "beginner", 1900, "en",
         ["Creating arrays", "Broadcasting", "Vectorised operations", "Random numbers",
          "Linear algebra basics", "Memory layout"]),
        ("Clean Code for Data Scientists", "Functions, tests and packaging for analysis code",
         "intermediate", 4900, "en",
         ["Functions that do one thing", "Testing with pytest", "Type hints",
          "Packaging a project", "Logging", "Code review"]),
        ("Python für Datenanalyse", "Der Einstieg in pandas und Jupyter",
         "beginner", 0, "de",
         ["Jupyter kennenlernen", "Datentypen", "CSV-Dateien lesen", "Daten bereinigen",
          "Gruppieren", "Diagramme"]),
    ],
    "SQL and Databases": [
        ("SQL Fundamentals", "SELECT, WHERE, JOIN and GROUP BY explained",
         "beginner", 0, "en",
         ["Your first SELECT", "Filtering rows", "Sorting results", "Joining tables",
          "Aggregates and GROUP BY", "Subqueries"]),
        ("Advanced PostgreSQL", "Window functions, CTEs and query plans",
         "advanced", 4900, "en",
         ["Common table expressions", "Window functions", "Reading EXPLAIN", "Indexes that help",
          "JSONB", "Full-text search"]),
        ("Data Modelling for Analytics", "Star schemas, facts and dimensions",
         "intermediate", 4900, "en",
         ["Facts and dimensions", "Slowly changing dimensions", "Normal forms",
          "Naming conventions", "Surrogate keys", "Testing models"]),
        ("SQL for Marketers", "Answer campaign questions without waiting for IT",
         "beginner", 1900, "en",
         ["Campaign tables", "Counting conversions", "Cohorts in SQL", "Funnels",
          "Attribution basics", "Sharing queries"]),
        ("SQL pour l'analyse de données", "Requêtes, jointures et agrégats",
         "beginner", 0, "fr",
         ["Première requête", "Filtrer les lignes", "Jointures", "Agrégats", "Sous-requêtes",
          "Fonctions de fenêtre"]),
    ],
    "Statistics": [
        ("Statistics in Practice", "Descriptive statistics, distributions and sampling",
         "beginner", 0, "en",
         ["Mean, median and mode", "Spread and variance", "Distributions", "Sampling",
          "Confidence intervals", "Common pitfalls"]),
        ("A/B Testing Done Right", "Design, run and read online experiments",
         "intermediate", 4900, "en",
         ["Hypotheses", "Sample size", "Randomisation", "p-values without tears",
          "Peeking and stopping", "Reporting results"]),
        ("Bayesian Thinking", "Priors, posteriors and decisions under uncertainty",
         "advanced", 4900, "en",
         ["Bayes' rule", "Choosing priors", "Conjugate models", "MCMC intuition",
          "PyMC in practice", "Decision making"]),
        ("Regression Analysis", "Linear and logistic regression with interpretation",
         "intermediate", 1900, "en",
         ["Simple linear regression", "Multiple regression", "Diagnostics",
          "Logistic regression", "Interactions", "Reporting effects"]),
        ("Time Series Forecasting", "Trends, seasonality and honest forecasts",
         "advanced", 4900, "en",
         ["Decomposition", "Stationarity", "ARIMA", "Exponential smoothing", "Backtesting",
          "Forecast intervals"]),
    ],
    "Machine Learning": [
        ("Machine Learning Foundations", "Supervised learning with scikit-learn",
         "beginner", 0, "en",
         ["What is a model", "Train and test splits", "Linear models", "Decision trees",
          "Cross-validation", "Metrics that matter"]),
        ("Feature Engineering", "Turn raw columns into signal",
         "intermediate", 4900, "en",
         ["Encoding categories", "Scaling", "Text features", "Date features",
          "Leakage and how to avoid it", "Pipelines"]),
        ("Deep Learning with PyTorch", "Tensors, training loops and neural networks",
         "advanced", 4900, "en",
         ["Tensors", "Autograd", "Training loops", "Convolutional networks", "Regularisation",
          "Saving models"]),
        ("Natural Language Processing", "From bag of words to transformers",
         "advanced", 4900, "en",
         ["Tokenisation", "TF-IDF", "Word embeddings", "Transformers", "Fine-tuning",
          "Evaluating NLP models"]),
        ("Clustering and Segmentation", "Find groups in customer data",
         "intermediate", 1900, "en",
         ["k-means", "Hierarchical clustering", "DBSCAN", "Choosing k", "Profiling segments",
          "Presenting clusters"]),
    ],
    "Data Visualisation": [
        ("Data Visualisation Principles", "Choose the right chart and make it clear",
         "beginner", 0, "en",
         ["Perception basics", "Choosing a chart", "Colour", "Annotation", "Small multiples",
          "Critiquing charts"]),
        ("Matplotlib and Seaborn", "Publication-quality charts in Python",
         "intermediate", 1900, "en",
         ["Figures and axes", "Styling", "Seaborn themes", "Faceting", "Saving figures",
          "Common recipes"]),
        ("Interactive Dashboards with Plotly", "Dash apps your team will use",
         "intermediate", 4900, "en",
         ["Plotly express", "Callbacks", "Layouts", "Filters", "Deploying Dash", "Performance"]),
        ("Maps and Geospatial Data", "GeoPandas, projections and choropleths",
         "advanced", 4900, "en",
         ["Coordinate systems", "GeoPandas", "Spatial joins", "Choropleth maps", "Web maps",
          "Raster data"]),
        ("Visualización de datos", "Gráficos claros con Python",
         "beginner", 0, "es",
         ["Percepción", "Elegir un gráfico", "Color", "Anotaciones", "Paneles", "Críticas"]),
    ],
    "Data Engineering": [
        ("Data Engineering Basics", "Pipelines, batch jobs and data quality",
         "beginner", 1900, "en",
         ["What data engineers do", "Batch versus streaming", "File formats",
          "Data quality checks", "Scheduling jobs", "Monitoring"]),
        ("Orchestration with Airflow", "DAGs, operators and reliable schedules",
         "intermediate", 4900, "en",
         ["DAGs", "Operators", "Sensors", "Retries and SLAs", "Testing DAGs",
          "Running Airflow in production"]),
        ("Analytics Engineering with dbt", "Version-controlled SQL transformations",
         "intermediate", 4900, "en",
         ["dbt models", "Sources and seeds", "Tests", "Macros", "Documentation", "CI for dbt"]),
        ("Streaming with Kafka", "Events, topics and consumers",
         "advanced", 4900, "en",
         ["Topics and partitions", "Producers", "Consumers", "Schemas", "Exactly once",
          "Stream processing"]),
        ("Docker for Data People", "Reproducible environments for analysis",
         "beginner", 0, "en",
         ["Images and containers", "Dockerfiles", "Volumes", "Compose", "Notebooks in Docker",
          "Sharing images"]),
    ],
    "Spreadsheets and BI": [
        ("Excel for Analysts", "Formulas, pivot tables and clean workbooks",
         "beginner", 0, "en",
         ["Formulas", "Lookups", "Pivot tables", "Charts", "Power Query", "Sharing workbooks"]),
        ("Power BI from Scratch", "Models, measures and reports",
         "beginner", 1900, "en",
         ["Loading data", "Relationships", "DAX measures", "Visuals", "Row-level security",
          "Publishing"]),
        ("Tableau Storytelling", "Dashboards that drive decisions",
         "intermediate", 4900, "en",
         ["Connecting data", "Calculated fields", "Parameters", "Dashboard design", "Stories",
          "Publishing"]),
        ("Google Sheets Automation", "Formulas, Apps Script and connected sheets",
         "intermediate", 1900, "en",
         ["Array formulas", "QUERY function", "Apps Script basics", "Triggers",
          "Connected sheets", "Templates"]),
        ("Looker Studio Dashboards", "Free dashboards from your data",
         "beginner", 0, "en",
         ["Data sources", "Charts", "Filters", "Calculated fields", "Blending", "Sharing"]),
    ],
    "Careers and Communication": [
        ("Data Storytelling", "Turn analysis into decisions",
         "beginner", 0, "en",
         ["Know your audience", "The big idea", "Narrative structure", "Slides that work",
          "Presenting", "Handling questions"]),
        ("Landing Your First Data Job", "Portfolio, CV and interviews",
         "beginner", 1900, "en",
         ["Choosing a role", "Portfolio projects", "Your CV", "Technical interviews",
          "Take-home tasks", "Negotiating"]),
        ("Working with Stakeholders", "Scope questions and manage expectations",
         "intermediate", 1900, "en",
         ["Discovery questions", "Scoping", "Estimates", "Saying no", "Status updates",
          "Retrospectives"]),
        ("Data Ethics and Privacy", "GDPR, bias and responsible analysis",
         "intermediate", 0, "en",
         ["Personal data", "GDPR basics", "Anonymisation", "Bias in data", "Fairness metrics",
          "Ethics reviews"]),
        ("Leading a Data Team", "Hiring, process and impact",
         "advanced", 4900, "en",
         ["Team topologies", "Hiring", "Prioritisation", "Measuring impact", "Career ladders",
          "Data strategy"]),
    ],
}

# Lessons that carry a real file from courses/demo_files/, so downloads can be tried locally:
# (course slug, section title, lesson title, file name, free preview, body).
DEMO_FILES = [
    ("pandas-in-depth", "Practice", "Practice dataset: store sales", "store-sales-2025.csv",
     False,
     "Download the dataset and load it with `pd.read_csv`. Then pivot revenue by city and "
     "category, and find the store whose Games sales grew fastest."),
    ("sql-for-marketers", "Getting started", "SQL cheat sheet", "sql-cheat-sheet.pdf",
     True,
     "A one-page PDF with the queries this course builds on. Print it, keep it next to you."),
]

# Synthetic titles are built from these, so benchmark queries hit realistic word spreads.
ADJECTIVES = [
    "Practical", "Applied", "Modern", "Hands-on", "Essential", "Advanced", "Intro to",
    "Mastering", "Effective", "Rapid",
]
TOPICS = [
    "Python", "SQL", "Pandas", "Statistics", "Regression", "Clustering", "Spark", "Airflow",
    "dbt", "Tableau", "Excel", "Power BI", "NumPy", "Visualisation", "Deep Learning", "NLP",
    "Time Series", "Forecasting", "A/B Testing", "Bayesian Methods", "ETL", "Kafka", "Docker",
    "PostgreSQL", "Machine Learning", "Data Modelling", "Dashboards", "Web Scraping",
    "Geospatial Analysis", "Data Cleaning",
]
AUDIENCES = [
    "for Analysts", "for Engineers", "for Beginners", "for Managers", "in Practice",
    "for Scientists", "for Marketers", "Bootcamp", "Workshop", "Deep Dive",
]
# fmt: on

# --- Demo ratings ---------------------------------------------------------------------------
# seed_demo enrols these learners (unusable passwords, a reserved example domain) in the demo
# courses and rates through ratings.services, so every average on screen is the average of
# the reviews under it.
# fmt: off
DEMO_CROWD_DOMAIN = "demo-learners.example"
DEMO_CROWD_NAMES = [
    "Amara Okafor", "Ben Hartley", "Chloé Martin", "Daniel Kowalski", "Elif Yilmaz",
    "Farah Haddad", "Gustavo Lima", "Hannah Becker", "Ines Duarte", "Jonas Lindqvist",
    "Keiko Tanaka", "Liam O'Connor", "Maya Patel", "Nikolai Petrov", "Olivia Brooks",
    "Pedro Alvarez", "Quinn Murphy", "Rosa Jiménez", "Samuel Mensah", "Tara Nguyen",
    "Umar Siddiqui", "Valentina Rossi", "Wei Zhang", "Yusuf Demir",
]

# Star weights (5 → 1 stars) for a course's reception, picked per course.
RECEPTIONS = {
    "loved": [62, 28, 7, 2, 1],
    "liked": [38, 40, 15, 5, 2],
    "mixed": [18, 32, 28, 14, 8],
}

# stars → (title, body); {topic} is one of the course's lesson topics. An empty body is a
# rating with a title only; an empty title and body, stars alone.
REVIEWS = {
    5: [
        ("Exactly what I needed", "Clear explanations and exercises that build on each other. "
         "The part on {topic} finally made it click for me."),
        ("Best course I have taken here", "Well paced, no filler. I used what I learned about "
         "{topic} at work the week after."),
        ("Excellent", ""),
        ("Practical and well structured", "Every lesson ends with something you can try. "
         "The final project ties it together nicely."),
        ("", ""),
        ("Highly recommended", "I had tried to learn {topic} from blog posts before; this was "
         "far more coherent."),
    ],
    4: [
        ("Very good, a little fast in places", "Great content overall. The {topic} lesson "
         "could use one more worked example."),
        ("Solid course", "Good balance of theory and practice. Some videos are a bit long."),
        ("Good value", ""),
        ("Helpful", "Covers the essentials well. I would have liked more on {topic}."),
        ("", ""),
    ],
    3: [
        ("Decent, but uneven", "The first half is great; the lesson on {topic} felt rushed."),
        ("OK as an overview", "Fine if you are new to the subject; too basic otherwise."),
        ("", ""),
    ],
    2: [
        ("Not for me", "Expected more depth. The {topic} part mostly repeats the documentation."),
        ("Exercises need work", "Several exercises lacked enough instructions to finish them."),
    ],
    1: [
        ("Disappointing", "Too shallow for the price, and the examples did not run for me."),
    ],
}
# fmt: on
