"""Stand-in for `aws s3 sync s3://BUCKET/PREFIX DIR` when the AWS CLI is not
installed: list the prefix, then download every object with 10 concurrent
requests (the CLI's default max_concurrent_requests), keeping the key paths.

usage: python3 bench/labctl_s3sync.py ENDPOINT BUCKET PREFIX DIR
"""
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def main():
    endpoint, bucket, prefix, dest = sys.argv[1:]
    s3 = boto3.client("s3", endpoint_url=endpoint,
                      config=Config(s3={"addressing_style": "path"}, max_pool_connections=10))
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [o["Key"] for o in page.get("Contents", [])]

    def fetch(key):
        path = os.path.join(dest, key[len(prefix):])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        s3.download_file(bucket, key, path)

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(fetch, keys))


if __name__ == "__main__":
    main()
