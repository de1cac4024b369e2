# Export the suite's real datasets from the R data packages that ship them, as raw float64
# (column-major X, then y) plus PLINK 1 files for the genotypes. Called by
# `python -m bench.suite.realdata --fetch` with the output folder as its only argument; a
# dataset whose package is missing is skipped with a message (the loader reports it).
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
dir.create(out, showWarnings = FALSE, recursive = TRUE)

have <- function(pkg) suppressWarnings(suppressMessages(requireNamespace(pkg, quietly = TRUE)))

write_xy <- function(name, X, y) {
  X <- as.matrix(X); storage.mode(X) <- "double"
  keep <- is.finite(y)
  X <- X[keep, , drop = FALSE]; y <- as.double(y[keep])
  d <- file.path(out, name); dir.create(d, showWarnings = FALSE)
  con <- file(file.path(d, "X.bin"), "wb"); writeBin(as.vector(X), con); close(con)
  con <- file(file.path(d, "y.bin"), "wb"); writeBin(y, con); close(con)
  writeLines(as.character(c(nrow(X), ncol(X))), file.path(d, "shape.txt"))
  cat(name, nrow(X), "x", ncol(X), "\n")
}

# Acute lymphoblastic leukemia, Affymetrix HG-U95Av2 (Chiaretti et al. 2004): y = age.
if (have("ALL") && have("Biobase")) {
  suppressMessages({library(Biobase); library(ALL)})
  data(ALL)
  write_xy("all_age", t(exprs(ALL)), ALL$age)
} else message("skip all_age: package ALL not installed")

# Bladder cancer, Affymetrix HG-U133A (Dyrskjot et al. 2004): y = 1 for cancer samples.
if (have("bladderbatch") && have("Biobase")) {
  suppressMessages({library(Biobase); library(bladderbatch)})
  data(bladderdata)
  write_xy("bladder_cancer", t(exprs(bladderEset)), as.double(bladderEset$cancer == "Cancer"))
} else message("skip bladder_cancer: package bladderbatch not installed")

# NIR spectra of 60 gasoline samples, 401 wavelengths (Kalivas 1997): y = octane number.
if (have("pls")) {
  suppressMessages(library(pls))
  data(gasoline)
  write_xy("gasoline_octane", unclass(gasoline$NIR), gasoline$octane)
} else message("skip gasoline_octane: package pls not installed")

# snpStats' for.exercise genotypes: 1,000 subjects x 28,501 SNPs of chromosome 10, HapMap
# haplotypes resampled, so the LD is real. Written as PLINK 1 .bed/.bim/.fam.
if (have("snpStats")) {
  suppressMessages(library(snpStats))
  data(for.exercise)
  d <- file.path(out, "snps10"); dir.create(d, showWarnings = FALSE)
  k <- nrow(snps.10); z <- rep(0L, k)
  write.plink(file.path(d, "snps10"), snps = snps.10, pedigree = rownames(snps.10),
              id = rownames(snps.10), father = z, mother = z, sex = rep(1L, k),
              phenotype = rep(-9, k), chromosome = snp.support$chromosome,
              position = snp.support$position, allele.1 = snp.support$A1,
              allele.2 = snp.support$A2)
  cat("snps10", nrow(snps.10), "x", ncol(snps.10), "\n")
} else message("skip snps10: package snpStats not installed")
