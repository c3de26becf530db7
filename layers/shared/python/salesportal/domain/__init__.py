"""Pure business rules: no boto3, no environment, no clock they did not receive."""
