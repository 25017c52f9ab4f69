"""pyspark.ml stages that wrap the leaky-spark jar's MLlib stages."""
