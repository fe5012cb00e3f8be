from django.db import models


class Grain(models.TextChoices):
    MONTH = "m", "月"
    QUARTER = "q", "季"
    YEAR = "y", "年"


class Cell(models.Model):
    """Pre-aggregated figures: for one figure (`key`), node, period (`grain` + first day `start`) and
    `bucket` (a value's histogram bucket for medians and means, else 0): `own` counts the records
    counted at the node itself, `total` those of its whole subtree. Written only by
    youthlink.stats.engine, which recounts a node's own records after they change and adds the
    difference to the node and each ancestor; `manage.py stats rebuild` recounts everything.
    Undated records (a stock counted since ever) sit at start = 1970-01-01."""

    node = models.ForeignKey("orgs.Node", on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=60)
    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    bucket = models.IntegerField(default=0)
    own = models.BigIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "key", "grain", "start", "bucket"],
                                               name="stats_cell_unique")]
        # One figure over every node of a kind (coverage: the townships with micro-elements): without
        # it PostgreSQL read all 1.1 million cells of the city for it (45 ms).
        indexes = [models.Index(fields=["key", "grain", "start"], name="stats_cell_key_idx")]

    def __str__(self):
        return f"{self.key} {self.node_id} {self.grain}{self.start:%Y-%m} [{self.bucket}] {self.own}/{self.total}"


class NodeVersion(models.Model):
    """How many committed transactions have changed records counted at a node (SQLite only): a refresh
    counts a node's records before it takes the write lock, then checks under the lock that this
    number has not moved since, and recounts the node under the lock if it has. Bumped by
    youthlink.stats.engine.mark_changed in the transaction that changes the records. No foreign key,
    so the row outlives a deleted node: SQLite may give a new node a deleted node's id, and the number
    must go on from there, never start again (it could then match one read before)."""

    node_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.node_id}: {self.version}"
