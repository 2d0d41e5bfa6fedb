package com.socactions.localhost.samples.skipped;

import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;

/** A trigger the local host cannot drive: skipped, not fatal. */
public class BlobFunction {

  @FunctionName("FromBlob")
  public void run(
      @BlobTrigger(name = "blob", path = "c/{name}", connection = "C") String contents) {}
}
