# Shared inputs of the conformance cases.
#
# The terraform_data resources have outputs that are unknown while Terraform plans
# (and to rdspolicy: a resource attribute not written in the configuration), so the
# local.u* values below are unknown of the kind their comments say.

resource "terraform_data" "s" { input = "x" }
resource "terraform_data" "n" { input = 5 }
resource "terraform_data" "b" { input = true }
resource "terraform_data" "l" { input = ["a", "b"] }
resource "terraform_data" "m" { input = { a = 1 } }

variable "known" {
  type = object({
    name = string
    port = number
    tags = map(string)
    opt  = optional(string, "dflt")
  })
  default = {
    name = "orders"
    port = 5432
    tags = { env = "prod", team = "db" }
  }
}

variable "n_list" {
  type    = list(number)
  default = [3, 1, 2]
}

variable "s_set" {
  type    = set(string)
  default = ["b", "a", "c", "a"]
}

variable "nullable_default" {
  type    = string
  default = null
}

locals {
  us  = terraform_data.s.output # an unknown string
  un  = terraform_data.n.output # an unknown number
  ub  = terraform_data.b.output # an unknown bool
  ul  = terraform_data.l.output # an unknown list
  um  = terraform_data.m.output # an unknown object
  uid = terraform_data.s.id     # an unknown string that is certainly not null

  dbs = {
    orders  = { engine = "postgres", version = "16.1", multi_az = true, port = 5432 }
    billing = { engine = "postgres", version = "15.4", multi_az = false, port = 5433 }
    audit   = { engine = "mysql", version = "8.0", multi_az = true, port = 3306 }
  }
  rules = [
    { port = 5432, cidrs = ["10.0.0.0/16", "10.1.0.0/16"] },
    { port = 443, cidrs = ["0.0.0.0/0"] },
  ]
  tpl   = "x=$${x}"
  words = ["delta", "alpha", "charlie", "bravo"]
  nested = {
    a = { b = { c = [10, 20, 30] } }
  }
}
